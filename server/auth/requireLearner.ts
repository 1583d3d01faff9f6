import type { RequestHandler } from 'express';
import { HttpError } from '../http/HttpError';
import { LEARNER_COOKIE, readCookie, type LearnerCookies } from './learnerCookie';

/** Every API route behind this knows who is asking; everyone else gets 401. */
export function requireLearner(cookies: LearnerCookies): RequestHandler {
  return (req, res, next) => {
    const learnerId = cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE));
    if (!learnerId) {
      next(new HttpError(401, 'Sign in first: start as a guest on the landing page'));
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
