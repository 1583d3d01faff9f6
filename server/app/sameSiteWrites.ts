import type { Request, RequestHandler } from 'express';
import { hostRewrittenHint, originAllowed, vouchedByBrowser } from '../auth/origin';
import { trustProxyOf, viaTrustedProxy } from '../http/clientAddress';
import { HttpError } from '../http/HttpError';
import type { Log } from '../log/Log';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What the browser says about who made the request; only our own pages (or the user typing) pass. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * A browser request made by another site: a foreign Origin, or Sec-Fetch-Site other than
 * same-origin. Another port of the same host counts as another site: SameSite cookies do not
 * protect against it (it is "same-site"), this does. Clients that send neither header (curl,
 * scripts) are not browsers acting for someone else, and still need their cookie or token.
 */
export function crossSite(req: Request, allowedOrigins: readonly string[], log?: Log): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && allowedOrigins.includes(origin)) return false;
  const site = req.headers['sec-fetch-site'];
  // req.host is the Host header, or X-Forwarded-Host from a proxy named in TRUST_PROXY.
  if (!originAllowed(origin, req.host, [])) {
    const proxied = viaTrustedProxy(req, trustProxyOf(req.app));
    if (vouchedByBrowser(site, proxied)) return false;
    if (proxied && origin !== undefined) log?.(hostRewrittenHint(origin, req.host), 'warn');
    return true;
  }
  return typeof site === 'string' && !OWN_FETCH_SITES.has(site);
}

/** Every state-changing request (POST, PUT, DELETE, …), learner and instructor alike. */
export function sameSiteWrites(allowedOrigins: readonly string[], log?: Log): RequestHandler {
  return (req, _res, next) => {
    next(
      !SAFE_METHODS.has(req.method) && crossSite(req, allowedOrigins, log)
        ? new HttpError(403, 'Cross-site request refused')
        : undefined,
    );
  };
}
