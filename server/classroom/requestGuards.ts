import type { RequestHandler } from 'express';
import { readCookie } from '../auth/learnerCookie';
import { HttpError } from '../http/HttpError';
import type { InstructorTokens } from './instructorToken';
import { INSTRUCTOR_COOKIE } from './instructorToken';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The instructor cookie, verified; learners and strangers get 401. */
export function instructorCookie(req: { headers: { cookie?: string | undefined } }): string | undefined {
  return readCookie(req.headers.cookie, INSTRUCTOR_COOKIE);
}

/**
 * Instructor-only routes: a live session cookie, and for writes a CSRF token bound to it
 * (X-CSRF-Token, which only our own page can read from /api/instructor/me). Cross-site writes
 * were already refused for every route by sameSiteWrites.
 */
export function requireInstructor(tokens: InstructorTokens): RequestHandler {
  return (req, _res, next) => {
    const cookie = instructorCookie(req);
    if (!cookie || !tokens.verify(cookie)) {
      next(new HttpError(401, 'Instructor sign-in required'));
    } else if (!SAFE_METHODS.has(req.method) && !tokens.csrfMatches(cookie, req.get('x-csrf-token'))) {
      next(new HttpError(403, 'Missing or wrong CSRF token; reload the page'));
    } else {
      next();
    }
  };
}
