import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The instructor's session cookie: `<issuedAt>.<nonce>.<mac>`, httpOnly, SameSite=Strict. */
export const INSTRUCTOR_COOKIE = 'ipl_instructor';
export const INSTRUCTOR_SESSION_MS = 12 * 3600 * 1000;

export interface InstructorTokens {
  issue(now?: number): string;
  /** True for an unexpired token this server signed. */
  verify(value: string | undefined, now?: number): boolean;
  /** The CSRF token bound to a session: the page sends it back as X-CSRF-Token. */
  csrfFor(value: string): string;
  csrfMatches(value: string, given: string | undefined): boolean;
}

/**
 * Stateless and signed with the persisted cookie secret, so a server restart does not log the
 * instructor out. `generation` (derived from the stored password hash) revokes every session
 * when the password changes.
 */
export function instructorTokens(secret: string, generation: () => string): InstructorTokens {
  const mac = (purpose: string, body: string): string =>
    createHmac('sha256', secret).update(`${purpose}:${generation()}:${body}`).digest('base64url');
  const same = (a: string, b: string): boolean => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  };
  return {
    issue(now = Date.now()) {
      const body = `${now}.${randomBytes(16).toString('base64url')}`;
      return `${body}.${mac('instructor', body)}`;
    },
    verify(value, now = Date.now()) {
      if (!value || value.length > 200) return false;
      const parts = value.split('.');
      if (parts.length !== 3) return false;
      const [issued, nonce, given] = parts as [string, string, string];
      const issuedAt = Number(issued);
      if (!Number.isSafeInteger(issuedAt) || now - issuedAt > INSTRUCTOR_SESSION_MS || issuedAt > now + 60_000)
        return false;
      return same(given, mac('instructor', `${issued}.${nonce}`));
    },
    csrfFor(value) {
      return mac('csrf', value);
    },
    csrfMatches(value, given) {
      return typeof given === 'string' && same(given, mac('csrf', value));
    },
  };
}
