import type { RequestHandler } from 'express';
import { HttpError } from '../http/HttpError';
import { LEARNER_COOKIE, readCookie, type LearnerCookies } from './learnerCookie';

/**
 * Every API route behind this knows who is asking; everyone else gets 401, and a learner an
 * instructor removed from their class 403 (the server's own record, whatever the cookie says).
 */
export function requireLearner(cookies: LearnerCookies, removed: (learnerId: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const learnerId = cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE));
    if (!learnerId) {
      next(new HttpError(401, 'Sign in first: start as a guest on the landing page'));
      return;
    }
    if (removed(learnerId)) {
      next(new HttpError(403, 'Your instructor removed you from this class; ask them if this is a mistake'));
      return;
    }
    res.locals.learnerId = learnerId;
    next();
  };
}

export function learnerOf(res: { locals: Record<string, unknown> }): string {
  const id = res.locals.learnerId;
  if (typeof id !== 'string') throw new HttpError(401, 'Not signed in');
  return id;
}
