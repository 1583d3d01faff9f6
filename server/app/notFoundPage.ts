import type { RequestHandler } from 'express';

/** What a browser shows for an address that is no page of ours: words and a way back, not JSON. */
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Page not found · iptables-lab</title></head>
<body>
<main>
<h1>Page not found</h1>
<p>There is no page at this address. Check the link you were given, or go to <a href="/">the labs</a>.</p>
</main>
</body>
</html>
`;

/**
 * A browser asking for a page that does not exist gets a page that says so; a script (which asks
 * for anything, or for JSON) gets the usual JSON error from the next handler.
 */
export function notFoundPage(): RequestHandler {
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.accepts(['json', 'html']) !== 'html') {
      next();
      return;
    }
    res.status(404).type('html').send(PAGE);
  };
}
