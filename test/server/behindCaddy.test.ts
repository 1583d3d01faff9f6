import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  echoThroughProxy,
  freePort,
  outsideAddress,
  proxyDir,
  startProxy,
  type RunningProxy,
} from './support/reverseProxy';
import { startTestServer } from './support/testServer';

const json = { 'content-type': 'application/json' };
/**
 * A real Caddy (Debian's package) in front of the server, configured as the README's
 * "Deploying for a class" says (TRUST_PROXY=loopback), minus the certificate.
 */
describe('behind a reverse proxy (Caddy)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let caddy: RunningProxy;
  let local: string;
  let outside: string;
  let instructor: { cookie: string; csrf: string };
  let joinCode: string;

  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: 'loopback', GUEST_ACCESS: 'local' });
    const port = await freePort();
    const dir = proxyDir('caddy');
    const caddyfile = path.join(dir, 'Caddyfile');
    writeFileSync(
      caddyfile,
      `{\n\tadmin off\n\tauto_https off\n}\n:${port} {\n\treverse_proxy ${new URL(server.url).host}\n}\n`,
    );
    local = `http://127.0.0.1:${port}`;
    outside = `http://${outsideAddress()}:${port}`;
    caddy = await startProxy(
      dir,
      'caddy',
      ['run', '--config', caddyfile, '--adapter', 'caddyfile'],
      `${local}/healthz`,
      { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    );
  });
  afterAll(async () => {
    caddy.stop();
    await server.close();
  });

  it('refuses the first-start instructor setup through the proxy, even from this machine', async () => {
    for (const base of [outside, local]) {
      const res = await fetch(`${base}/api/instructor/setup`, {
        method: 'POST',
        headers: json,
        body: '{"password":"caddy-test-password"}',
      });
      expect(res.status, base).toBe(403);
    }
    // Straight to the server, on the server itself, it works.
    const direct = await fetch(`${server.url}/api/instructor/setup`, {
      method: 'POST',
      headers: json,
      body: '{"password":"caddy-test-password"}',
    });
    expect(direct.status).toBe(200);
    instructor = { cookie: cookieOf(direct), csrf: ((await direct.json()) as { csrfToken: string }).csrfToken };
    const created = await fetch(`${server.url}/api/instructor/classes`, {
      method: 'POST',
      headers: { ...json, cookie: instructor.cookie, 'x-csrf-token': instructor.csrf },
      body: '{"name":"Proxied class"}',
    });
    joinCode = ((await created.json()) as { class: { joinCode: string } }).class.joinCode;
  });

  it('refuses guests from outside with GUEST_ACCESS=local, and lets this machine in', async () => {
    expect((await fetch(`${outside}/api/guest`, { method: 'POST' })).status).toBe(403);
    expect((await fetch(`${local}/api/guest`, { method: 'POST' })).status).toBe(201);
  });

  it('lets a learner from outside join (page loads do not count against joins) and use a terminal', async () => {
    for (let i = 0; i < 70; i++) expect((await fetch(`${outside}/api/join/${joinCode}`)).status).toBe(200);
    const joined = await fetch(`${outside}/api/join`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ code: joinCode, displayName: 'Remote Rae' }),
    });
    expect(joined.status).toBe(201);
    await echoThroughProxy(outside, cookieOf(joined), 'through-caddy');
  });

  it('keeps a rate-limit bucket per forwarded client address', async () => {
    const attempt = (base: string) =>
      fetch(`${base}/api/join`, { method: 'POST', headers: json, body: '{"code":"ZZZZZZZZ","displayName":"x"}' }).then(
        (r) => r.status,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push(await attempt(outside));
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 404).length).toBe(59); // one join was used above
    expect(await attempt(local)).toBe(404);
  });
});
