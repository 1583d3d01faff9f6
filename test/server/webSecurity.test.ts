import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClass, instructorLogin, type Instructor } from './support/classroomClient';
import { guestCookie, startTestServer } from './support/testServer';

const PASSWORD = 'web-security-password';
const LAB = 'iptables-single-server';

/** What a browser adds on a request from a page at `origin`: the real headers, for fetch. */
const from = (origin: string, site: string) => ({ origin, 'sec-fetch-site': site });

describe('web security: cross-site writes, sessions, headers, guest floods, capacity', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let base: string;
  let otherPort: string;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipl-websec-'));
  const logged: string[] = [];
  let learnerA: string;
  let learnerB: string;

  beforeAll(async () => {
    server = await startTestServer(
      { INSTRUCTOR_PASSWORD: PASSWORD, GUEST_SIGNINS_PER_10_MIN: '3', LAB_MAX_PER_HOST: '1', DATA_DIR: dataDir },
      { log: (m) => logged.push(m) },
    );
    base = server.url;
    otherPort = `http://127.0.0.1:${Number(new URL(base).port) + 1}`;
    learnerA = await guestCookie(base);
    learnerB = await guestCookie(base);
  });
  afterAll(() => server.close());

  it('refuses every state-changing route to a page of another site, another port of this host included', async () => {
    const routes: [string, string][] = [
      ['POST', '/api/guest'],
      ['POST', `/api/labs/${LAB}/sessions`],
      ['DELETE', '/api/sessions/0123456789abcdef0123'],
      ['POST', '/api/join'],
      ['POST', '/api/instructor/login'],
      ['POST', '/api/instructor/logout'],
    ];
    for (const [method, route] of routes) {
      const foreign: Record<string, string>[] = [
        from(otherPort, 'same-site'),
        from('http://evil.example', 'cross-site'),
        { 'sec-fetch-site': 'same-site' },
        { origin: 'null' },
      ];
      for (const headers of foreign) {
        const res = await fetch(`${base}${route}`, {
          method,
          headers: { ...headers, cookie: learnerA, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(res.status, `${method} ${route} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    expect(server.sessions.listOwned(learnerA.split('=')[1]?.split('.')[0] ?? '')).toEqual([]);
    // Our own page (and curl, which sends neither header) still gets through.
    const own = await fetch(`${base}/api/sessions/0123456789abcdef0123/keepalive`, {
      method: 'POST',
      headers: { ...from(base, 'same-origin'), cookie: learnerA },
    });
    expect(own.status).toBe(404);
  });

  it('gives learners a SameSite=Strict cookie and sends security headers on every response', async () => {
    const res = await fetch(`${base}/api/guest`, { method: 'POST', headers: { cookie: learnerA } });
    expect(res.status).toBe(200);
    const fresh = await fetch(`${base}/api/me`);
    const csp = fresh.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(fresh.headers.get('x-content-type-options')).toBe('nosniff');
    expect(fresh.headers.get('referrer-policy')).toBe('no-referrer');
    expect(fresh.headers.get('strict-transport-security')).toBeNull();
  });

  it('limits guest sign-ins per client, with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await fetch(`${base}/api/guest`, { method: 'POST' });
      statuses.push(last.status);
    }
    // Two of the three were used in beforeAll.
    expect(statuses).toEqual([201, 429, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last?.json()) as { error: { message: string } }).error.message).toMatch(
      /Too many guest sign-ins; try again in \d+ s/,
    );
  });

  it('refuses local-only features to requests relayed by a proxy nobody configured, and says which setting', async () => {
    const guest = await fetch(`${base}/api/guest`, { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(guest.status).toBe(403);
    expect(logged.join('\n')).toMatch(/TRUST_PROXY/);
    const setup = await fetch(`${base}/api/instructor/setup`, {
      method: 'POST',
      headers: { 'x-forwarded-for': '127.0.0.1', 'content-type': 'application/json' },
      body: '{"password":"whatever-long"}',
    });
    expect(setup.status).toBe(403);
  });

  it('answers 503 with Retry-After and a clear message when every lab place is taken', async () => {
    const first = await fetch(`${base}/api/labs/${LAB}/sessions`, { method: 'POST', headers: { cookie: learnerA } });
    expect(first.status).toBe(201);
    const second = await fetch(`${base}/api/labs/${LAB}/sessions`, { method: 'POST', headers: { cookie: learnerB } });
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('120');
    expect(((await second.json()) as { error: { message: string } }).error.message).toBe(
      'All 1 lab places are in use; try again in a few minutes',
    );
    const { id } = (await first.json()) as { id: string };
    await fetch(`${base}/api/sessions/${id}`, { method: 'DELETE', headers: { cookie: learnerA } });
  });

  it('ends instructor sessions on the server: sign-out, and a password change for every browser', async () => {
    const call = (who: Instructor) =>
      fetch(`${base}/api/instructor/classes`, { headers: { cookie: who.cookie } }).then((r) => r.status);
    const a = await instructorLogin(base, PASSWORD);
    const b = await instructorLogin(base, PASSWORD);
    const c = await instructorLogin(base, PASSWORD);
    await fetch(`${base}/api/instructor/logout`, { method: 'POST', headers: { cookie: a.cookie } });
    expect([await call(a), await call(b)]).toEqual([401, 200]);

    const change = await fetch(`${base}/api/instructor/password`, {
      method: 'POST',
      headers: { cookie: b.cookie, 'x-csrf-token': b.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: `${PASSWORD}-2` }),
    });
    expect(change.status).toBe(200);
    const renewed = { cookie: (change.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: '' };
    expect([await call(b), await call(c), await call(renewed)]).toEqual([401, 401, 200]);
  });

  it('keeps class API tokens only as hashes, shows one only when made, and keeps the data directory private', async () => {
    const instructor = await instructorLogin(base, `${PASSWORD}-2`);
    const cls = await createClass(base, instructor, 'Token class');
    const token = cls.apiToken ?? '';
    expect(token.length).toBeGreaterThan(20);
    const grades = (t: string) =>
      fetch(`${base}/api/classes/${cls.class.id}/grades`, { headers: { authorization: `Bearer ${t}` } }).then(
        (r) => r.status,
      );
    expect(await grades(token)).toBe(200);
    const snapshot = await fetch(`${base}/api/instructor/classes/${cls.class.id}`, {
      headers: { cookie: instructor.cookie },
    });
    expect(await snapshot.text()).not.toContain(token);

    const regenerated = await fetch(`${base}/api/instructor/classes/${cls.class.id}/api-token`, {
      method: 'POST',
      headers: { cookie: instructor.cookie, 'x-csrf-token': instructor.csrf },
    });
    const { apiToken } = (await regenerated.json()) as { apiToken: string };
    expect([await grades(token), await grades(apiToken)]).toEqual([403, 200]);

    const files = readdirSync(dataDir).filter((name) => statSync(path.join(dataDir, name)).isFile());
    expect(files).toEqual(expect.arrayContaining(['iptables-lab.db', 'iptables-lab.db-wal', 'cookie-secret']));
    for (const name of files) {
      const file = path.join(dataDir, name);
      expect(statSync(file).mode & 0o777, name).toBe(0o600);
      const bytes = readFileSync(file);
      expect(bytes.includes(token) || bytes.includes(apiToken), name).toBe(false);
    }
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });
});

describe('built-in HTTPS', () => {
  it('serves TLS_CERT/TLS_KEY over HTTPS with HSTS, and secure cookies', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-tls-'));
    const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const server = await startTestServer({ TLS_CERT: cert, TLS_KEY: key });
    try {
      expect(server.url).toMatch(/^https:\/\//);
      const res = await new Promise<{ headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
        const req = https.request(`${server.url}/api/guest`, { method: 'POST', rejectUnauthorized: false }, (r) => {
          r.resume();
          resolve({ headers: r.headers });
        });
        req.on('error', reject);
        req.end();
      });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/i);
    } finally {
      await server.close();
    }
  });
});
