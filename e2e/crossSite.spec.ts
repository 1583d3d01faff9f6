import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';

/**
 * Cross-site request forgery from "next door": a page served from another port of the same host
 * is the same *site* to the browser, so the learner's SameSite cookie goes along. The server must
 * still refuse, from the request's Origin / Sec-Fetch-Site.
 */
test('a page on another port of this host cannot start a lab for a signed-in learner', async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const target = `${baseURL ?? ''}/api/labs/iptables-single-server/sessions`;
  const evil = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><title>waiting</title><script>
      fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include' })
        .finally(() => { document.title = 'sent'; });
    </script>`);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  try {
    const signedIn = await page.request.post('/api/guest');
    expect(signedIn.ok()).toBe(true);
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    await expect(page).toHaveTitle('sent');
    const { sessions } = (await (await page.request.get('/api/sessions')).json()) as { sessions: unknown[] };
    expect(sessions).toEqual([]);
  } finally {
    evil.close();
    await context.close();
  }
});
