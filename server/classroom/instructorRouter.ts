import express from 'express';
import { z } from 'zod';
import { isLoopback } from '../auth/requireLearner';
import { HttpError } from '../http/HttpError';
import type { InstructorAccount } from './InstructorAccount';
import { INSTRUCTOR_COOKIE, INSTRUCTOR_SESSION_MS, type InstructorTokens } from './instructorToken';
import { MIN_PASSWORD_LENGTH } from './password';
import { RateLimiter } from './RateLimiter';
import { instructorCookie, rateLimited, sameOriginWrites } from './requestGuards';

const passwordBody = z.object({ password: z.string().min(1).max(200) }).strict();

/** Sign-in, sign-out, first-start setup, and "who am I" (which also hands the page its CSRF token). */
export function instructorRouter(
  account: InstructorAccount,
  tokens: InstructorTokens,
  allowedOrigins: readonly string[],
): express.Router {
  const router = express.Router();
  // 5 attempts at once, then one every 12 s (5 a minute) per address.
  const logins = rateLimited(new RateLimiter(5, 12_000), 'sign-in attempts');
  router.use('/instructor', sameOriginWrites(allowedOrigins));

  const signIn = (req: express.Request, res: express.Response): void => {
    const token = tokens.issue();
    res.cookie(INSTRUCTOR_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: INSTRUCTOR_SESSION_MS,
      encode: String,
    });
    res.json({ signedIn: true, csrfToken: tokens.csrfFor(token) });
  };

  router.get('/instructor/me', (req, res) => {
    const cookie = instructorCookie(req);
    const signedIn = cookie !== undefined && tokens.verify(cookie);
    res.json({
      signedIn,
      setupNeeded: account.needsSetup,
      canSetUp: account.needsSetup && isLoopback(req),
      csrfToken: signedIn && cookie ? tokens.csrfFor(cookie) : null,
    });
  });

  router.post('/instructor/setup', logins, async (req, res) => {
    if (!isLoopback(req))
      throw new HttpError(
        403,
        'The first instructor password can only be set from the server itself (http://127.0.0.1), or with INSTRUCTOR_PASSWORD',
      );
    const { password } = parse(req.body);
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new HttpError(400, `The password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    if (!(await account.setUp(password)))
      throw new HttpError(409, 'An instructor password is already set; sign in instead');
    signIn(req, res);
  });

  router.post('/instructor/login', logins, async (req, res) => {
    const { password } = parse(req.body);
    if (account.needsSetup)
      throw new HttpError(409, 'No instructor password is set yet; open /instructor on the server to set one');
    if (!(await account.check(password))) throw new HttpError(401, 'Wrong password');
    signIn(req, res);
  });

  router.post('/instructor/logout', (_req, res) => {
    res.clearCookie(INSTRUCTOR_COOKIE, { path: '/' });
    res.status(204).end();
  });

  return router;
}

function parse(body: unknown): { password: string } {
  const parsed = passwordBody.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'Send JSON {"password": "..."}');
  return parsed.data;
}
