import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SessionView } from '../../protocol/sessionView';
import { CloseCode } from '../../protocol/terminal';
import type { SessionEvent } from '../../protocol/sessionEvents';
import { LabLearner } from './support/labLearner';
import { TerminalClient } from './support/terminalClient';
import { api, startTestServer, wsUrl } from './support/testServer';

const DOCKER_SOCKET = process.env.DOCKER_SOCKET ?? '/var/run/docker.sock';
const STOPPED = 'Machine 1 stopped unexpectedly: Reset lab to get fresh machines';

/**
 * Docker's socket as the server sees it, through a relay this test can take away and bring back:
 * the engine "stops" and "returns" for this server only. dockerd itself is shared and never touched.
 */
class EngineSocket {
  readonly path = path.join(mkdtempSync(path.join(os.tmpdir(), 'ipl-engine-')), 'docker.sock');
  private server: net.Server | undefined;
  private readonly open = new Set<net.Socket>();

  async up(): Promise<void> {
    if (this.server?.listening) return;
    this.server = net.createServer((client) => {
      const engine = net.connect(DOCKER_SOCKET);
      for (const s of [client, engine]) {
        this.open.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          this.open.delete(s);
          client.destroy();
          engine.destroy();
        });
      }
      client.pipe(engine).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.path, resolve));
  }

  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.open) s.destroy();
    await closed;
  }
}

type Server = Awaited<ReturnType<typeof startTestServer>>;
const engine = new EngineSocket();
const logs: string[] = [];
let server: Server;
let learner: LabLearner;
const events: SessionEvent[] = [];

async function session(): Promise<SessionView> {
  return (await api(server.url, `/api/sessions/${learner.session.id}`, { cookie: learner.cookie })).json as SessionView;
}
function machineRefs(): string[] {
  return server.sessions.get(learner.session.id)?.deployment?.machines.map((m) => m.ref) ?? [];
}

afterAll(async () => {
  await engine.up().catch(() => undefined);
  await server?.close();
});

describe('when Docker itself fails', () => {
  it('a server started while Docker is down waits and says so, then starts once Docker answers', async () => {
    let started = false;
    const starting = startTestServer({ DOCKER_SOCKET: engine.path }, { grading: true, log: (m) => logs.push(m) });
    void starting.then(() => (started = true));
    await expect
      .poll(() => logs.join('\n'), { timeout: 120_000 })
      .toMatch(/Docker is not answering at .*waiting for it/);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(started, 'the server must wait for Docker, not start without it').toBe(false);
    await engine.up();
    server = await starting;
    expect(logs.join('\n')).toMatch(/Docker answers at .*; starting/);

    learner = await LabLearner.start(server.url);
    const ws = new WebSocket(wsUrl(server.url, learner.session.links.events), {
      headers: { cookie: learner.cookie },
      origin: server.url,
    });
    ws.on('message', (data: Buffer) => events.push(JSON.parse(data.toString()) as SessionEvent));
    await new Promise((resolve) => ws.once('open', resolve));
  });

  it('docker kill of a machine: the lab says which machine stopped and offers a reset, instead of reconnecting', async () => {
    const term = await learner.terminal('machine1');
    const ref = machineRefs()[0] ?? '';
    execFileSync('docker', ['kill', ref]);

    const closed = await term.closed;
    expect([CloseCode.SHELL_EXITED, CloseCode.MACHINE_STOPPED]).toContain(closed.code);
    await expect.poll(async () => (await session()).status, { timeout: 120_000 }).toBe('broken');
    expect((await session()).problem).toBe(STOPPED);
    expect(events).toContainEqual({ type: 'broken', message: STOPPED });

    // The page's reconnect gets a final answer, not a loop.
    const again = TerminalClient.connect(wsUrl(server.url, learner.session.machines[0]?.terminalUrl ?? ''), {
      cookie: learner.cookie,
      origin: server.url,
    });
    expect(await again.closed).toEqual({ code: CloseCode.MACHINE_STOPPED, reason: STOPPED });
    const check = await api(server.url, `/api/sessions/${learner.session.id}/steps/tour/check`, {
      method: 'POST',
      cookie: learner.cookie,
      body: {},
    });
    expect(check.status).toBe(409);
    expect(JSON.stringify(check.json)).toContain(STOPPED);

    const reset = await api(server.url, `/api/sessions/${learner.session.id}/reset`, {
      method: 'POST',
      cookie: learner.cookie,
    });
    expect(reset.status).toBe(200);
    expect((await session()).status).toBe('ready');
    expect((await session()).problem).toBeUndefined();
    (await learner.terminal('machine1')).close();
  });

  it('when the engine goes away and comes back, the machines are started again with their files', async () => {
    const deployment = server.sessions.get(learner.session.id)?.deployment;
    if (!deployment) throw new Error('no lab');
    await server.runtime.exec(deployment, 'machine1', ['sh', '-c', 'echo kept > /root/kept']);
    await engine.down();
    await expect.poll(async () => (await session()).status, { timeout: 120_000 }).toBe('broken');
    // What a stopping dockerd does to every container.
    execFileSync('docker', ['kill', ...machineRefs()]);
    await engine.up();
    await expect.poll(async () => (await session()).status, { timeout: 60_000, interval: 500 }).toBe('ready');
    expect(events.map((e) => e.type)).toContain('recovered');
    expect((await server.runtime.exec(deployment, 'machine1', ['cat', '/root/kept'])).stdout).toBe('kept\n');
    const term = await learner.terminal('machine2');
    term.close();
  });
});
