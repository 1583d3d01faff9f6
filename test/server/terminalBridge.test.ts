import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../protocol/sessionView';
import type { CommandFinished } from '../../server/sessions/terminal/commandTracker';
import { ClientOp, frame, Limits } from '../../protocol/terminal';
import type { SessionEvent } from '../../protocol/sessionEvents';
import WebSocket from 'ws';
import { TerminalClient } from './support/terminalClient';
import { api, guestCookie, startTestServer, wsUrl } from './support/testServer';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** One real lab, driven through the HTTP API and the terminal protocol like any client could. */
describe('the terminal bridge into a real lab', () => {
  let server: Server;
  let cookie: string;
  let session: SessionView;
  const open = (machineId = 'machine2', who = cookie): TerminalClient => {
    const url =
      session.machines.find((m) => m.id === machineId)?.terminalUrl ??
      `/ws/sessions/${session.id}/terminals/${machineId}`;
    return TerminalClient.connect(wsUrl(server.url, url), { cookie: who, origin: server.url });
  };
  const attached = async (machineId = 'machine2'): Promise<TerminalClient> => {
    const client = open(machineId);
    await client.opened;
    client.hello();
    await client.waitFor(/\]# $/);
    return client;
  };

  /** The page's event channel: every event it pushed so far, and how it closed. */
  const listen = async (): Promise<{ events: SessionEvent[]; closed: Promise<number> }> => {
    const ws = new WebSocket(wsUrl(server.url, session.links.events), { headers: { cookie, origin: server.url } });
    const events: SessionEvent[] = [];
    ws.on('message', (data) => events.push(JSON.parse((data as Buffer).toString()) as SessionEvent));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await expect.poll(() => events.length).toBeGreaterThan(0);
    return { events, closed };
  };

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await guestCookie(server.url);
    const res = await api(server.url, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie });
    expect(res.status).toBe(201);
    session = res.json as SessionView;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('starts a lab whose session lists machines, addresses and terminal URLs', async () => {
    expect(session.status).toBe('ready');
    expect(session.machines.map((m) => m.id)).toEqual(['machine1', 'machine2', 'office-pc']);
    expect(session.machines[0]?.addresses.lan).toMatch(/^10\.1\.\d+\.1$/);
    expect(session.machines[0]?.terminalUrl).toBe(`/ws/sessions/${session.id}/terminals/machine1`);
    const again = await api(server.url, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie });
    expect(again.status).toBe(200);
    expect((again.json as SessionView).id).toBe(session.id);
  });

  it('does not let another learner see, attach to, reset or end this lab', async () => {
    const stranger = await guestCookie(server.url);
    expect((await api(server.url, `/api/sessions/${session.id}`, { cookie: stranger })).status).toBe(404);
    expect(
      (await api(server.url, `/api/sessions/${session.id}/reset`, { method: 'POST', cookie: stranger })).status,
    ).toBe(404);
    expect((await api(server.url, `/api/sessions/${session.id}`, { method: 'DELETE', cookie: stranger })).status).toBe(
      404,
    );
    const client = open('machine1', stranger);
    expect(await client.closed).toEqual({ code: 4004, reason: 'No such lab or machine' });
  });

  it('closes with 4004 for a machine the lab does not have', async () => {
    expect((await open('machine9').closed).code).toBe(4004);
  });

  it('gives a root login shell whose prompt shows the hostname', async () => {
    const client = await attached('machine1');
    expect(client.text).toMatch(/\[root@machine1 ~\]# $/);
    client.close();
  });

  describe('malformed input gets a clear close or error, never a crash', () => {
    it.each([
      ['a text frame', (c: TerminalClient) => c.sendRaw('{"cols":80,"rows":24}', false), /Binary frames only/],
      ['an empty frame', (c: TerminalClient) => c.sendRaw(new Uint8Array(0)), /Empty frame/],
      [
        'input before HELLO',
        (c: TerminalClient) => c.sendRaw(frame(ClientOp.INPUT, 'ls\r')),
        /first frame must be HELLO/,
      ],
      [
        'a HELLO that is not JSON',
        (c: TerminalClient) => c.sendRaw(frame(ClientOp.HELLO, '80x24')),
        /Invalid HELLO: payload is not valid JSON/,
      ],
      [
        'a HELLO of 0x0',
        (c: TerminalClient) => c.sendRaw(frame(ClientOp.HELLO, '{"cols":0,"rows":0}')),
        /Invalid HELLO: cols: .*rows/,
      ],
      [
        'a HELLO of 100000x100000',
        (c: TerminalClient) => c.sendRaw(frame(ClientOp.HELLO, '{"cols":100000,"rows":100000}')),
        /Invalid HELLO: cols/,
      ],
      [
        'an unknown opcode',
        (c: TerminalClient) => c.sendRaw(Uint8Array.of(0x7f, 1, 2, 3)),
        /first frame must be HELLO/,
      ],
    ])('%s closes with 4000', async (_name, send, reason) => {
      const client = open();
      await client.opened;
      send(client);
      const closed = await client.closed;
      expect(closed.code).toBe(4000);
      expect(closed.reason).toMatch(reason);
    });

    it('an unknown opcode after HELLO closes with 4000 naming it', async () => {
      const client = await attached();
      client.sendRaw(Uint8Array.of(0x7f));
      expect(await client.closed).toEqual({ code: 4000, reason: 'Unknown opcode 0x7f' });
    });

    it('a frame over 64 KiB closes with 1009', async () => {
      const client = await attached();
      client.sendRaw(frame(ClientOp.INPUT, 'x'.repeat(Limits.maxClientFrameBytes + 1)));
      expect((await client.closed).code).toBe(1009);
    });

    it('resizes to 0x0 or 100000x100000 are refused with an ERROR frame; the terminal keeps working', async () => {
      const client = await attached();
      client.sendRaw(frame(ClientOp.RESIZE, '{"cols":0,"rows":0}'));
      client.sendRaw(frame(ClientOp.RESIZE, '{"cols":100000,"rows":100000}'));
      client.sendRaw(frame(ClientOp.RESIZE, 'not json'));
      client.sendRaw(frame(ClientOp.ACK, 'xx'));
      client.input('echo still-$((40+2))\r');
      await client.waitFor('still-42');
      expect(client.errors).toEqual([
        expect.stringMatching(/^Resize rejected: cols: .*rows/),
        expect.stringMatching(/^Resize rejected: cols: .*rows/),
        'Resize rejected: payload is not valid JSON',
        'ACK needs a 4-byte big-endian count',
      ]);
      client.close();
    });

    it('a valid resize reaches the shell', async () => {
      const client = await attached();
      client.sendRaw(frame(ClientOp.RESIZE, '{"cols":123,"rows":40}'));
      // The resize is an asynchronous Docker API call: ask the shell until it sees the new size.
      await expect
        .poll(
          async () => {
            const from = client.position;
            client.input('echo size=$(tput cols)x$(tput lines)\r');
            return ((await client.waitFor(/size=\d+x\d+/, 5000, from)) as RegExpMatchArray)[0];
          },
          { timeout: 10_000 },
        )
        .toBe('size=123x40');
      client.close();
    });

    it('the server is still healthy afterwards', async () => {
      expect((await api(server.url, '/healthz')).status).toBe(200);
    });
  });

  it('a reconnect gets the same shell, its working directory and its scrollback', async () => {
    const first = await attached('office-pc');
    first.input('cd /tmp && echo "pid=$$"\r');
    const pid = ((await first.waitFor(/pid=(\d+)/)) as RegExpMatchArray)[1];
    first.close();
    await first.closed;
    const second = await attached('office-pc');
    expect(second.text).toContain(`pid=${pid}`);
    second.input('echo "again=$$ in $PWD"\r');
    await second.waitFor(`again=${pid} in /tmp`);
    second.close();
  });

  it('a second tab takes the terminal over; the first is told with 4009', async () => {
    const first = await attached();
    const second = await attached();
    expect((await first.closed).code).toBe(4009);
    second.close();
  });

  it('flow control bounds what is sent without acknowledgements, and Ctrl+C stops a flood', async () => {
    const client = TerminalClient.connect(wsUrl(server.url, session.machines[1]?.terminalUrl ?? ''), {
      cookie,
      origin: server.url,
      autoAck: false,
    });
    await client.opened;
    client.hello();
    await client.waitFor(/\]# $/);
    const start = client.bytes;
    client.input('yes\r');
    await new Promise((r) => setTimeout(r, 1500));
    // Without ACKs the server stops near the high watermark, plus at most one batch.
    expect(client.bytes - start).toBeLessThan(Limits.highWater + 128 * 1024);
    const before = client.position;
    const interruptedAt = Date.now();
    client.input('\x03');
    client.sendRaw(Uint8Array.of(ClientOp.ACK, 0xff, 0xff, 0xff, 0xff));
    await client.waitFor(/\^C[\s\S]*\]# $/, 1000, before);
    expect(Date.now() - interruptedAt).toBeLessThan(1000);
    client.close();
  });

  it('reports finished commands from shell-integration markers, with command line, exit code and output', async () => {
    const seen: CommandFinished[] = [];
    const off = server.hubs.onCommandFinished(session.id, 'machine1', (event) => seen.push(event));
    const client = await attached('machine1');
    // Until the images emit OSC 633 themselves, print the markers the way they will.
    client.input("printf '\\e]633;E;ls /nope\\a\\e]633;C\\a'; ls /nope; printf '\\e]633;D;%s\\a' $?\r");
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toMatchObject({
      sessionId: session.id,
      machineId: 'machine1',
      commandLine: 'ls /nope',
      exitCode: 2,
    });
    expect(seen[0]?.output).toContain('No such file or directory');
    expect(server.hubs.getTranscript(session.id, 'machine1')).toContain('ls /nope');
    off();
    client.close();
  });

  it("records the keystrokes it passes to a machine's console in the lab journal: when and how many, never what", async () => {
    const inputOn = (machineId: string) =>
      server.journal.events(session.id).filter((e) => e.kind === 'input' && e.machineId === machineId);
    const before = inputOn('office-pc').length;
    const client = await attached('office-pc');
    const sent = Date.now();
    client.input('echo secret-word\r');
    await expect.poll(() => inputOn('office-pc').length, { timeout: 10_000 }).toBe(before + 1);
    const burst = inputOn('office-pc').at(-1);
    expect(burst).toMatchObject({ kind: 'input', machineId: 'office-pc', bytes: 'echo secret-word\r'.length });
    expect(burst?.kind === 'input' && burst.at).toBeGreaterThanOrEqual(sent - 1_000);
    expect(Object.keys(burst ?? {}).sort()).toEqual(['at', 'bytes', 'kind', 'machineId', 'seq', 'until']);
    client.close();
  });

  it('reset gives fresh machines under the same session; open terminals are told with 4011', async () => {
    const client = await attached('machine1');
    const from = client.position;
    client.input('touch /root/was-here\r');
    await client.waitFor(/\]# $/, 5000, from + 2);
    const channel = await listen();
    const reset = await api(server.url, `/api/sessions/${session.id}/reset`, { method: 'POST', cookie });
    expect(reset.status).toBe(200);
    expect((reset.json as SessionView).id).toBe(session.id);
    // The fresh machines take the old ones' address slot: the learner's notes stay true.
    expect((reset.json as SessionView).machines.map((m) => m.addresses)).toEqual(
      session.machines.map((m) => m.addresses),
    );
    expect((await client.closed).code).toBe(4011);
    // The page hears it without asking: who reset, then the session with its addresses.
    await expect.poll(() => channel.events.map((e) => e.type)).toEqual(['session', 'resetting', 'reset']);
    expect(channel.events[1]).toEqual({ type: 'resetting', by: 'learner' });
    expect(channel.events[2]).toMatchObject({
      type: 'reset',
      by: 'learner',
      session: { id: session.id, machines: (reset.json as SessionView).machines },
    });
    const fresh = await attached('machine1');
    fresh.input('ls /root/was-here\r');
    await fresh.waitFor('No such file or directory');
    fresh.close();
  });

  it('ending the lab closes its terminals with 4008 and forgets the session', async () => {
    const client = await attached();
    const channel = await listen();
    const end = await api(server.url, `/api/sessions/${session.id}`, { method: 'DELETE', cookie });
    expect(end.status).toBe(204);
    expect((await client.closed).code).toBe(4008);
    expect(await channel.closed).toBe(4008);
    expect(channel.events.at(-1)).toEqual({ type: 'ended', reason: 'learner' });
    expect((await api(server.url, `/api/sessions/${session.id}`, { cookie })).status).toBe(404);
    await expect.poll(() => server.runtime.list(), { timeout: 20_000 }).toEqual([]);
  });
});
