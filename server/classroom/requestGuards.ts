import type { Request, RequestHandler } from 'express';
import { originAllowed } from '../auth/origin';
import { readCookie } from '../auth/learnerCookie';
import { HttpError } from '../http/HttpError';
import type { InstructorTokens } from './instructorToken';
import { INSTRUCTOR_COOKIE } from './instructorToken';
import type { RateLimiter } from './RateLimiter';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A browser request from another site: a foreign Origin, or Sec-Fetch-Site says so. */
export function crossSite(req: Request, allowedOrigins: readonly string[]): boolean {
  if (!originAllowed(req.headers.origin, req.headers.host, allowedOrigins)) return true;
  return req.headers['sec-fetch-site'] === 'cross-site';
}

/** State-changing requests must come from our own pages (Origin) — for forms that have no session yet. */
export function sameOriginWrites(allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (!SAFE_METHODS.has(req.method) && crossSite(req, allowedOrigins))
      return next(new HttpError(403, 'Cross-site request refused'));
    next();
  };
}

/** The instructor cookie, verified; learners and strangers get 401. */
export function instructorCookie(req: { headers: { cookie?: string | undefined } }): string | undefined {
  return readCookie(req.headers.cookie, INSTRUCTOR_COOKIE);
}

/**
 * Instructor-only routes: a valid session cookie, and for writes a CSRF token bound to it
 * (X-CSRF-Token, which only our own page can read from /api/instructor/me).
 */
export function requireInstructor(tokens: InstructorTokens, allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const cookie = instructorCookie(req);
    if (!cookie || !tokens.verify(cookie)) return next(new HttpError(401, 'Instructor sign-in required'));
    if (!SAFE_METHODS.has(req.method)) {
      if (crossSite(req, allowedOrigins)) return next(new HttpError(403, 'Cross-site request refused'));
      if (!tokens.csrfMatches(cookie, req.get('x-csrf-token')))
        return next(new HttpError(403, 'Missing or wrong CSRF token; reload the page'));
    }
    next();
  };
}

export function rateLimited(limiter: RateLimiter, what: string): RequestHandler {
  return (req, res, next) => {
    const verdict = limiter.take(req.socket.remoteAddress ?? 'unknown');
    if (verdict.allowed) return next();
    const seconds = Math.ceil(verdict.retryAfterMs / 1000);
    res.setHeader('Retry-After', String(seconds));
    next(new HttpError(429, `Too many ${what}; try again in ${seconds} s`));
  };
}
