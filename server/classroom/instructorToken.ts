import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { InstructorSessionsRepo } from '../store/InstructorSessionsRepo';
import { sha256Hex } from '../store/sha256';

/** The instructor's session cookie: a random token, httpOnly, SameSite=Strict. */
export const INSTRUCTOR_COOKIE = 'ipl_instructor';
export const INSTRUCTOR_SESSION_MS = 12 * 3600 * 1000;

export interface InstructorTokens {
  issue(now?: number): string;
  /** True for a session this server opened and nobody has ended. */
  verify(value: string | undefined, now?: number): boolean;
  /** Sign-out: this session only. */
  revoke(value: string): void;
  /** A password change: every session. */
  revokeAll(): void;
  /** The CSRF token bound to a session: the page sends it back as X-CSRF-Token. */
  csrfFor(value: string): string;
  csrfMatches(value: string, given: string | undefined): boolean;
}

/**
 * Server-side sessions in SQLite (only the token's hash is stored), so signing out or changing
 * the password really ends them, and a restart does not.
 */
export function instructorTokens(secret: string, sessions: InstructorSessionsRepo): InstructorTokens {
  const csrf = (value: string): string => createHmac('sha256', secret).update(`csrf:${value}`).digest('base64url');
  return {
    issue(now = Date.now()) {
      sessions.deleteExpired(now);
      const token = randomBytes(32).toString('base64url');
      sessions.create(sha256Hex(token), now, now + INSTRUCTOR_SESSION_MS);
      return token;
    },
    verify(value, now = Date.now()) {
      if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return false;
      return sessions.isLive(sha256Hex(value), now);
    },
    revoke(value) {
      sessions.delete(sha256Hex(value));
    },
    revokeAll() {
      sessions.deleteAll();
    },
    csrfFor(value) {
      return csrf(value);
    },
    csrfMatches(value, given) {
      if (typeof given !== 'string') return false;
      const x = Buffer.from(given);
      const y = Buffer.from(csrf(value));
      return x.length === y.length && timingSafeEqual(x, y);
    },
  };
}
