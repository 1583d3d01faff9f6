import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalClient } from './support/terminalClient';
import { api, guestCookie, startTestServer, wsUrl } from './support/testServer';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** Identity and handshake rules, none of which need a running lab. */
describe('who may use the API and the terminal sockets', () => {
  let server: Server;
  let cookie: string;
  const someSession = '0123456789abcdef0123';
  const terminal = (session = someSession, machine = 'machine1') =>
    wsUrl(server.url, `/ws/sessions/${session}/terminals/${machine}`);

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await guestCookie(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('signs a guest in with an httpOnly SameSite=Strict cookie', async () => {
    const res = await fetch(`${server.url}/api/guest`, { method: 'POST' });
    expect(res.status).toBe(201);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^ipl_learner=guest-[a-f0-9]+\.[\w-]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
  });

  it.each([
    ['GET', '/api/labs'],
    ['GET', '/api/sessions'],
    ['POST', '/api/labs/iptables-single-server/sessions'],
    ['GET', `/api/sessions/${someSession}`],
    ['POST', `/api/sessions/${someSession}/reset`],
    ['DELETE', `/api/sessions/${someSession}`],
  ])('answers %s %s with 401 without a cookie', async (method, route) => {
    const res = await api(server.url, route, { method });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('rejects a forged cookie like a missing one', async () => {
    const forged = cookie.replace(/\.[\w-]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await api(server.url, '/api/sessions', { cookie: forged })).status).toBe(401);
    expect((await api(server.url, '/api/me', { cookie: forged })).json).toEqual({ learnerId: null });
    const otherId = cookie.replace(/guest-[a-f0-9]+/, 'guest-000000000000000000');
    expect((await api(server.url, '/api/sessions', { cookie: otherId })).status).toBe(401);
  });

  it('answers unknown labs, malformed and unknown session ids with 404', async () => {
    expect((await api(server.url, '/api/labs/no-such-lab/sessions', { method: 'POST', cookie })).status).toBe(404);
    expect((await api(server.url, '/api/labs/NOT%20VALID/sessions', { method: 'POST', cookie })).status).toBe(404);
    expect((await api(server.url, '/api/sessions/..%2F..%2Fetc', { cookie })).status).toBe(404);
    expect((await api(server.url, `/api/sessions/${someSession}`, { cookie })).status).toBe(404);
  });

  it('answers a malformed JSON body with 400, not a crash', async () => {
    const res = await fetch(`${server.url}/api/labs/iptables-single-server/sessions`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{"not json',
    });
    expect(res.status).toBe(400);
  });

  it('refuses WebSocket upgrades on unknown paths with HTTP 404', async () => {
    const client = TerminalClient.connect(wsUrl(server.url, '/ws/elsewhere'), { cookie });
    await expect(client.opened).rejects.toThrow(/404/);
  });

  it('refuses a foreign Origin with HTTP 403 (cross-site WebSocket hijacking)', async () => {
    const client = TerminalClient.connect(terminal(), { cookie, origin: 'http://evil.example' });
    await expect(client.opened).rejects.toThrow(/403/);
  });

  it('closes with 4001 when the learner is not signed in', async () => {
    const client = TerminalClient.connect(terminal(), { origin: server.url });
    expect((await client.closed).code).toBe(4001);
  });

  it('closes with 4004 for a lab that does not exist, without saying more', async () => {
    const client = TerminalClient.connect(terminal(), { cookie, origin: server.url });
    expect(await client.closed).toEqual({ code: 4004, reason: 'No such lab or machine' });
    const garbage = TerminalClient.connect(terminal('%E0%A4%A', 'x'), { cookie, origin: server.url });
    expect((await garbage.closed).code).toBe(4004);
  });

  it('is still healthy after all of that', async () => {
    expect((await api(server.url, '/healthz')).status).toBe(200);
  });
});
