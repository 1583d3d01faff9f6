import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every response (helmet): a CSP that allows only our own scripts,
 * connections (the terminal WebSockets are same-origin) and no framing; nosniff;
 * Referrer-Policy no-referrer (join codes and session ids live in URLs). The CSP does not ask
 * browsers to upgrade requests to HTTPS, which would break a plain-HTTP class on a LAN; HSTS is
 * sent only on HTTPS (built-in TLS, or a proxy named in TRUST_PROXY that says so).
 */
export function securityHeaders(): RequestHandler[] {
  const hsts = helmet.strictTransportSecurity({ maxAge: 180 * 24 * 3600, includeSubDomains: false });
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'connect-src': ["'self'"],
          'frame-ancestors': ["'none'"],
          // xterm.js sets element styles from script; no inline <script> is ever allowed.
          'style-src': ["'self'", "'unsafe-inline'"],
          'upgrade-insecure-requests': null,
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
    }),
    (req, res, next) => (req.secure ? hsts(req, res, next) : next()),
  ];
}
