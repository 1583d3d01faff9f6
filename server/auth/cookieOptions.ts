import type { CookieOptions, Request } from 'express';

/**
 * How every sign-in cookie is set: unreadable by scripts, never sent by another site, Secure
 * behind HTTPS, and written as issued (no URL-encoding of the token).
 */
export function signInCookieOptions(req: Request, maxAgeMs: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', maxAge: maxAgeMs, encode: String };
}
