import express from 'express';
import { setLearnerCookie } from '../auth/setLearnerCookie';
import { LEARNER_COOKIE, newGuestId, readCookie, type LearnerCookies } from '../auth/learnerCookie';
import type { GuestsConfig } from '../config';
import type { Log } from '../log/Log';
import { fromThisMachine } from '../http/clientAddress';
import { HttpError } from '../http/HttpError';
import { limitPerClient } from '../http/rateLimit';

/** Who am I, and one-click guest sign-in (localhost only unless configured otherwise). */
export function authRouter(cookies: LearnerCookies, guests: GuestsConfig, log: Log): express.Router {
  const router = express.Router();
  const newGuests = limitPerClient('guest sign-ins', guests.perTenMinutes, 600_000);

  router.get('/me', (req, res) => {
    // Not signed in is an answer, not an error: a 401 here would put noise in every visitor's console.
    res.json({ learnerId: cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE)) ?? null });
  });

  router.post(
    '/guest',
    (req, res, next) => {
      const existing = cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE));
      if (existing) {
        res.json({ learnerId: existing });
        return;
      }
      if (guests.access === 'off' || (guests.access === 'local' && !fromThisMachine(req, log))) {
        throw new HttpError(403, 'Guest access is only available on this machine (localhost)');
      }
      next();
    },
    newGuests,
    (req, res) => {
      const learnerId = newGuestId();
      setLearnerCookie(req, res, cookies, learnerId);
      res.status(201).json({ learnerId });
    },
  );

  return router;
}
