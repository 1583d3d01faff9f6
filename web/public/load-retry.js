/* global window, location, sessionStorage, HTMLScriptElement, HTMLLinkElement */
// A script or stylesheet that failed to load (the network changed while the page loaded) would
// leave the page on "Loading…": reload once instead. Not again within a minute, so a server that
// is really down ends in the page's own error, not in a reload loop. A classic script, run before
// the page's modules, so its listener is in place when their loads fail.
window.addEventListener(
  'error',
  (event) => {
    const target = event.target;
    if (!(target instanceof HTMLScriptElement) && !(target instanceof HTMLLinkElement)) return;
    const key = 'ipl.loadRetry';
    const last = Number(sessionStorage.getItem(key) ?? 0);
    if (Date.now() - last < 60_000) return;
    sessionStorage.setItem(key, String(Date.now()));
    window.setTimeout(() => location.reload(), 300);
  },
  true,
);
