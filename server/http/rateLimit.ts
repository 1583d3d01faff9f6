import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { HttpError } from './HttpError';

/**
 * At most `limit` requests per client address in `windowMs` (express-rate-limit, in memory: a
 * restart forgets, which only ever helps the legitimate user). The client address is Express's
 * req.ip, so behind a proxy named in TRUST_PROXY each real client gets a bucket of its own.
 * Mount it only on the requests it protects (the POST that joins, not the page that asks).
 */
export function limitPerClient(what: string, limit: number, windowMs: number): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Forwarding headers without TRUST_PROXY are refused or ignored by our own checks, which log it.
    validate: { xForwardedForHeader: false, forwardedHeader: false },
    handler: (_req, res, next) => {
      const retryAfter = res.getHeader('retry-after');
      next(
        new HttpError(429, `Too many ${what}; try again in ${typeof retryAfter === 'string' ? retryAfter : 'a few'} s`),
      );
    },
  });
}
