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
