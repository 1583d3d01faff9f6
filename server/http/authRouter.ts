import express from 'express';
import { isLoopback } from '../auth/requireLearner';
import { LEARNER_COOKIE, newGuestId, readCookie, type LearnerCookies } from '../auth/learnerCookie';
import { HttpError } from './HttpError';

export type GuestAccess = 'local' | 'any' | 'off';

const MONTH_MS = 30 * 24 * 3600 * 1000;

/** Who am I, and one-click guest sign-in (localhost only unless configured otherwise). */
export function authRouter(cookies: LearnerCookies, guestAccess: GuestAccess): express.Router {
  const router = express.Router();

  router.get('/me', (req, res) => {
    // Not signed in is an answer, not an error: a 401 here would put noise in every visitor's console.
    res.json({ learnerId: cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE)) ?? null });
  });

  router.post('/guest', (req, res) => {
    const existing = cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE));
    if (existing) {
      res.json({ learnerId: existing });
      return;
    }
    if (guestAccess === 'off' || (guestAccess === 'local' && !isLoopback(req))) {
      throw new HttpError(403, 'Guest access is only available on this machine (localhost)');
    }
    const learnerId = newGuestId();
    res.cookie(LEARNER_COOKIE, cookies.sign(learnerId), {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: MONTH_MS,
      encode: String,
    });
    res.status(201).json({ learnerId });
  });

  return router;
}
