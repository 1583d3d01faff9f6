import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../server/http/sessionView';
import type { LabSessionEvent } from '../../server/sessions/labSessionTypes';
import { TerminalClient } from './support/terminalClient';
import { api, guestCookie, startTestServer, wsUrl } from './support/testServer';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** An idle lab is announced, then ended; its machines are gone afterwards. */
describe('the idle reaper', () => {
  let server: Server;
  const events: LabSessionEvent['type'][] = [];

  beforeAll(async () => {
    // Idle after 4.8 s, warned 2 s before.
    server = await startTestServer({ LAB_IDLE_MINUTES: '0.08', LAB_IDLE_WARNING_SECONDS: '2' });
    server.sessions.on((event) => events.push(event.type));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('warns, then ends the lab, closing its terminals with 4008', async () => {
    const cookie = await guestCookie(server.url);
    const session = (await api(server.url, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie }))
      .json as SessionView;
    expect(session.idleWarningSeconds).toBe(2);
    const client = TerminalClient.connect(wsUrl(server.url, session.machines[0]?.terminalUrl ?? ''), {
      cookie,
      origin: server.url,
    });
    await client.opened;
    client.hello();
    expect((await client.closed).code).toBe(4008);
    expect(events).toEqual(['started', 'idle-warning', 'ended']);
    expect((await api(server.url, `/api/sessions/${session.id}`, { cookie })).status).toBe(404);
    await expect.poll(() => server.runtime.list(), { timeout: 20_000 }).toEqual([]);
  });
});

/** A lab kept busy still ends at its maximum age, with a warning first. */
describe('the maximum lab age', () => {
  let server: Server;
  const events: LabSessionEvent['type'][] = [];

  beforeAll(async () => {
    // Ends 14.4 s after it started, warned 7.2 s before; idle would take an hour.
    server = await startTestServer({ LAB_MAX_HOURS: '0.004', LAB_MAX_WARNING_MINUTES: '0.12', LAB_IDLE_MINUTES: '60' });
    server.sessions.on((event) => events.push(event.type));
  });
  afterAll(async () => {
    await server.close();
  });

  it('warns, then ends a lab that keeps being used', async () => {
    const cookie = await guestCookie(server.url);
    const session = (await api(server.url, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie }))
      .json as SessionView;
    expect(Date.parse(session.expiresAt) - Date.parse(session.createdAt)).toBe(14_400);
    expect(session.expiryWarningSeconds).toBe(7);
    const client = TerminalClient.connect(wsUrl(server.url, session.machines[0]?.terminalUrl ?? ''), {
      cookie,
      origin: server.url,
    });
    await client.opened;
    client.hello();
    const busy = setInterval(
      () => void api(server.url, `/api/sessions/${session.id}/keepalive`, { method: 'POST', cookie }),
      500,
    );
    try {
      expect((await client.closed).code).toBe(4008);
    } finally {
      clearInterval(busy);
    }
    expect(events).toEqual(['started', 'age-warning', 'ended']);
    await expect.poll(() => server.runtime.list(), { timeout: 20_000 }).toEqual([]);
  });
});
