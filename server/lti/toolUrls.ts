import type { Request } from 'express';

/** The URLs an LMS needs, on the address the request came in on (a proxy's, when TRUST_PROXY names it). */
export function toolUrls(req: Pick<Request, 'protocol' | 'host'>) {
  const base = `${req.protocol}://${req.host}`;
  return {
    base,
    login: `${base}/lti/login`,
    launch: `${base}/lti/launch`,
    jwks: `${base}/lti/jwks`,
    deepLinking: `${base}/lti/launch`,
  };
}
