/**
 * Cross-site WebSocket hijacking guard: browsers always send Origin on upgrades, so it must
 * match the Host the page was served from, or be explicitly allowed. Non-browser clients that
 * send no Origin still need the learner's cookie.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  if (!host) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    return false;
  }
}

/**
 * Behind a proxy that rewrites Host (nginx's default sends its upstream's address), Origin can
 * never match it. A browser's own Sec-Fetch-Site (a header no page can set) then vouches that
 * the request comes from a page of the very origin it is sent to; only for requests that came
 * through the proxy named in TRUST_PROXY, and only "same-origin" (another port of the host is
 * "same-site", refused).
 */
export function vouchedByBrowser(fetchSite: string | string[] | undefined, viaTrustedProxy: boolean): boolean {
  return viaTrustedProxy && fetchSite === 'same-origin';
}

/** What an operator reads when a proxy's rewritten Host made the server refuse a browser. */
export const hostRewrittenHint = (origin: string, host: string | undefined): string =>
  `refused a request from the page at ${origin}, which the reverse proxy passed on with Host ${host ?? '(none)'}: ` +
  'the proxy rewrites Host. Pass it on (nginx: `proxy_set_header Host $host;`), or add that origin to ALLOWED_ORIGINS';
