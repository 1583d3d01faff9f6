import type { Request, Response } from 'express';
import { signInCookieOptions } from './cookieOptions';
import { LEARNER_COOKIE, type LearnerCookies } from './learnerCookie';

const MONTH_MS = 30 * 24 * 3600 * 1000;

/** Signs the learner in on this browser. One place, so guest and class sign-ins can never drift apart. */
export function setLearnerCookie(req: Request, res: Response, cookies: LearnerCookies, learnerId: string): void {
  res.cookie(LEARNER_COOKIE, cookies.sign(learnerId), signInCookieOptions(req, MONTH_MS));
}
