import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';

export const TOOL_ALG = 'RS256';

/** The tool's signing key: its private half signs client assertions and deep-linking answers. */
export interface ToolKeys {
  kid: string;
  privateKey: KeyObject;
  /** What /lti/jwks publishes: the public half only. */
  jwks: { keys: JWK[] };
}

/**
 * The key pair in DATA_DIR/lti-key.json (created on first start, readable by the server only),
 * so the JWKS an LMS cached stays valid across restarts.
 */
export function loadToolKeys(dataDir: string): ToolKeys {
  const file = path.join(dataDir, 'lti-key.json');
  let stored: { kid: string; jwk: JsonWebKey };
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as { kid: string; jwk: JsonWebKey };
  } catch {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    stored = { kid: randomBytes(8).toString('hex'), jwk: privateKey.export({ format: 'jwk' }) };
    writeFileSync(file, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
  }
  const privateKey = createPrivateKey({ key: stored.jwk, format: 'jwk' });
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`${file} is not an RSA key; remove it to get a new one`);
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  return {
    kid: stored.kid,
    privateKey,
    jwks: { keys: [{ kty: 'RSA', n, e, kid: stored.kid, alg: TOOL_ALG, use: 'sig' }] },
  };
}
