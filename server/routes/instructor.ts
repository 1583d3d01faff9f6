import express from 'express';
import { z } from 'zod';
import { directFromThisMachine } from '../http/clientAddress';
import { HttpError } from '../http/HttpError';
import { limitPerClient } from '../http/rateLimit';
import type { InstructorAccount } from '../classroom/InstructorAccount';
import { INSTRUCTOR_COOKIE, INSTRUCTOR_SESSION_MS, type InstructorTokens } from '../classroom/instructorToken';
import { MIN_PASSWORD_LENGTH } from '../classroom/password';
import type { InstructorMe } from '../../protocol/classViews';
import { instructorCookie, requireInstructor } from '../classroom/requestGuards';
import { DEVICE_COOKIE, DEVICE_COOKIE_MS, type LoginThrottle } from '../classroom/LoginThrottle';
import { signInCookieOptions } from '../auth/cookieOptions';
import { readCookie } from '../auth/learnerCookie';

/** The one instructor account's key in the sign-in throttle. */
const ACCOUNT = 'instructor';

const passwordBody = z.object({ password: z.string().min(1).max(200) }).strict();
const changeBody = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) })
  .strict();

/** Sign-in, sign-out, password change, first-start setup, and "who am I" (which also hands the page its CSRF token). */
export function instructorRouter(
  account: InstructorAccount,
  tokens: InstructorTokens,
  throttle: LoginThrottle,
): express.Router {
  const router = express.Router();
  // Setup and password changes: 10 per 2 minutes per client. Sign-in has its own throttle.
  const logins = limitPerClient('sign-in attempts', 10, 120_000);

  const signIn = (req: express.Request, res: express.Response): void => {
    const token = tokens.issue();
    res.cookie(INSTRUCTOR_COOKIE, token, signInCookieOptions(req, INSTRUCTOR_SESSION_MS));
    // This browser is the instructor's from now on: strangers' wrong passwords never lock it out.
    if (throttle.clientKey(req.ip, readCookie(req.headers.cookie, DEVICE_COOKIE)).startsWith('address '))
      res.cookie(DEVICE_COOKIE, throttle.newDevice(), {
        ...signInCookieOptions(req, DEVICE_COOKIE_MS),
        path: '/api/instructor',
      });
    res.json({ signedIn: true, csrfToken: tokens.csrfFor(token) });
  };

  router.get('/instructor/me', (req, res) => {
    const cookie = instructorCookie(req);
    const signedIn = cookie !== undefined && tokens.verify(cookie);
    res.json({
      signedIn,
      setupNeeded: account.needsSetup,
      canSetUp: account.needsSetup && directFromThisMachine(req),
      csrfToken: signedIn && cookie ? tokens.csrfFor(cookie) : null,
    } satisfies InstructorMe);
  });

  router.post('/instructor/setup', logins, async (req, res) => {
    if (!directFromThisMachine(req))
      throw new HttpError(
        403,
        'The first instructor password can only be set on the server itself (http://127.0.0.1, not through a proxy), or with INSTRUCTOR_PASSWORD',
      );
    const { password } = parse(passwordBody, req.body, 'Send JSON {"password": "..."}');
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new HttpError(400, `The password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    if (!(await account.setUp(password)))
      throw new HttpError(409, 'An instructor password is already set; sign in instead');
    signIn(req, res);
  });

  router.post('/instructor/login', async (req, res) => {
    const { password } = parse(passwordBody, req.body, 'Send JSON {"password": "..."}');
    if (account.needsSetup)
      throw new HttpError(409, 'No instructor password is set yet; open /instructor on the server to set one');
    const client = throttle.clientKey(req.ip, readCookie(req.headers.cookie, DEVICE_COOKIE));
    const wait = throttle.retryAfterMs(ACCOUNT, client);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      res.setHeader('retry-after', String(seconds));
      throw new HttpError(429, `Too many wrong passwords from here; try again in ${seconds} s`);
    }
    const delay = throttle.delayMs(ACCOUNT);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (!(await account.check(password))) {
      throttle.failed(ACCOUNT, client);
      throw new HttpError(401, 'Wrong password');
    }
    throttle.succeeded(ACCOUNT, client);
    signIn(req, res);
  });

  router.post('/instructor/logout', (req, res) => {
    const cookie = instructorCookie(req);
    if (cookie) tokens.revoke(cookie);
    res.clearCookie(INSTRUCTOR_COOKIE, { path: '/' });
    res.status(204).end();
  });

  // Ends every instructor session (other browsers too), then signs this one in again.
  router.post('/instructor/password', logins, requireInstructor(tokens), async (req, res) => {
    const body = parse(changeBody, req.body, 'Send JSON {"currentPassword": "...", "newPassword": "..."}');
    if (body.newPassword.length < MIN_PASSWORD_LENGTH)
      throw new HttpError(400, `The password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    if (!(await account.change(body.currentPassword, body.newPassword)))
      throw new HttpError(401, 'The current password is wrong');
    signIn(req, res);
  });

  return router;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, usage: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, usage);
  return parsed.data;
}
