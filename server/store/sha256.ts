import { createHash } from 'node:crypto';

/** Hex SHA-256: how secrets (class API tokens, instructor session tokens) are kept at rest. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
