import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import type { Platform } from './PlatformsRepo';
import { TOOL_ALG, type ToolKeys } from './toolKeys';
import { SCOPE_LINE_ITEM, SCOPE_SCORE } from './claims';

const SCORE_AND_LINE_ITEMS = `${SCOPE_SCORE} ${SCOPE_LINE_ITEM}`;
const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });

/** The LMS answered with an HTTP error; `status` decides whether trying again can help. */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Fetch with a deadline: a hung LMS must not hold a score forever. */
export async function platformFetch(url: string, init: RequestInit): Promise<Response> {
  return fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(15_000) });
}

/**
 * OAuth 2 client-credentials tokens for AGS (IMS Security Framework §4.1): the tool proves who
 * it is with a JWT signed by its own key (RFC 7523), and keeps each token until shortly before
 * it expires.
 */
export class PlatformTokens {
  private readonly cache = new Map<string, { token: string; until: number }>();

  constructor(private readonly keys: ToolKeys) {}

  async token(platform: Platform, now = Date.now()): Promise<string> {
    const cached = this.cache.get(platform.id);
    if (cached && cached.until > now) return cached.token;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: TOOL_ALG, kid: this.keys.kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.tokenUrl)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
    const res = await platformFetch(platform.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: SCORE_AND_LINE_ITEMS,
      }),
    });
    if (!res.ok) throw new PlatformError(res.status, `token endpoint answered HTTP ${res.status}`);
    const answer = tokenAnswer.safeParse(await res.json().catch(() => undefined));
    if (!answer.success) throw new PlatformError(502, 'token endpoint answered without an access_token');
    const lifetimeMs = (answer.data.expires_in ?? 3600) * 1000;
    this.cache.set(platform.id, { token: answer.data.access_token, until: now + lifetimeMs - 60_000 });
    return answer.data.access_token;
  }

  /** The LMS refused the token (revoked or expired early): the next call asks for a new one. */
  forget(platformId: string): void {
    this.cache.delete(platformId);
  }
}
