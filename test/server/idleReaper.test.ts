import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SessionView } from '../../protocol/sessionView';
import type { LabSessionEvent } from '../../server/sessions/labSessionTypes';
import { TerminalClient } from './support/terminalClient';
import { api, guestCookie, startTestServer, wsUrl } from './support/testServer';

type Server = Awaited<ReturnType<typeof startTestServer>>;

async function shell(server: Server, cookie: string, session: SessionView): Promise<TerminalClient> {
  const client = TerminalClient.connect(wsUrl(server.url, session.machines[0]?.terminalUrl ?? ''), {
    cookie,
    origin: server.url,
  });
  await client.opened;
  client.hello();
  await client.waitFor(/\]# /, 120_000);
  return client;
}

// Both suites mostly wait on their own server's timers, so they wait side by side.

/**
 * An idle lab is announced, then put to sleep: machines stopped, files kept. Resume boots them
 * (a reboot: only saved rules come back); a lab asleep longer than LAB_SLEEP_DAYS is removed.
 */
describe.concurrent('the idle reaper', () => {
  let server: Server;
  const events: LabSessionEvent['type'][] = [];

  beforeAll(async () => {
    // Idle after 30 s, warned 2 s before: the shell opens and the command runs before the
    // warning even on a loaded host (typing after it would start the idle time over; 7 s were
    // too few at load 70). Asleep labs are removed after 60 s: time enough to look at the
    // sleeping lab and press Resume there too.
    server = await startTestServer({
      LAB_IDLE_MINUTES: '0.5',
      LAB_IDLE_WARNING_SECONDS: '2',
      LAB_SLEEP_DAYS: String(60 / 86_400),
    });
    server.sessions.on((event) => events.push(event.type));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('warns, then puts the lab to sleep; Resume boots the same machines with their files', async ({ expect }) => {
    const cookie = await guestCookie(server.url);
    const session = (await api(server.url, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie }))
      .json as SessionView;
    expect(session.idleWarningSeconds).toBe(2);
    const client = await shell(server, cookie, session);
    // A saved file and a rule added only in memory: a reboot keeps the first, not the second.
    client.input('echo kept > /root/note.txt; iptables -I INPUT -s 192.0.2.7 -j DROP; echo done-$((40+2))\r');
    await client.waitFor('done-42', 120_000);

    expect((await client.closed).code).toBe(4013);
    await expect.poll(() => events, { timeout: 120_000 }).toEqual(['started', 'idle-warning', 'sleeping', 'slept']);
    const asleep = (await api(server.url, `/api/sessions/${session.id}`, { cookie })).json as SessionView;
    expect(asleep).toMatchObject({ status: 'sleeping', machines: session.machines });
    expect(Date.parse(asleep.sleepExpiresAt ?? '')).toBeGreaterThan(Date.parse(asleep.sleptAt ?? ''));
    expect(await server.runtime.list()).toHaveLength(1);
    // A terminal cannot open on a sleeping machine; it is told why.
    const refused = TerminalClient.connect(wsUrl(server.url, session.machines[0]?.terminalUrl ?? ''), {
      cookie,
      origin: server.url,
    });
    expect((await refused.closed).code).toBe(4013);

    const woken = await api(server.url, session.links.wake, { method: 'POST', cookie });
    expect(woken.status).toBe(200);
    expect(woken.json).toMatchObject({ status: 'ready', machines: session.machines });
    expect(events.slice(-1)).toEqual(['woken']);
    const again = await shell(server, cookie, session);
    again.input('cat /root/note.txt; iptables -S INPUT | grep -c 192.0.2.7; echo end-$((40+2))\r');
    const seen = (await again.waitFor(/kept\r?\n(\d+)\r?\nend-42/, 120_000)) as RegExpMatchArray;
    expect(seen[1]).toBe('0');
    again.ws.close();

    // Asleep past LAB_SLEEP_DAYS: removed for good.
    const slept = await api(server.url, session.links.sleep, { method: 'POST', cookie });
    expect(slept.json).toMatchObject({ status: 'sleeping' });
    await expect.poll(() => events.at(-1), { timeout: 120_000, interval: 250 }).toBe('ended');
    expect((await api(server.url, `/api/sessions/${session.id}`, { cookie })).status).toBe(404);
    await expect.poll(() => server.runtime.list(), { timeout: 120_000 }).toEqual([]);
  }, 420_000);
});

/** A lab kept busy still ends at its maximum age, with a warning first. */
describe.concurrent('the maximum lab age', () => {
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

  it('warns, then ends a lab that keeps being used', async ({ expect }) => {
    const cookie = await guestCookie(server.url);
    const pressed = Date.now();
    const started = await api(server.url, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie });
    // On a loaded host a start has failed here once; say how, rather than parse a missing date.
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const session = started.json as SessionView;
    // 14.4 s from when the lab was ready, somewhere between the request and its answer.
    expect(Date.parse(session.expiresAt)).toBeGreaterThanOrEqual(pressed - 1 + 14_400);
    expect(Date.parse(session.expiresAt)).toBeLessThanOrEqual(Date.now() + 14_400);
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
    await expect.poll(() => server.runtime.list(), { timeout: 120_000 }).toEqual([]);
  });
});
