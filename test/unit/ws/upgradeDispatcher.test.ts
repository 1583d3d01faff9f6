import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HttpError } from '../../../server/http/HttpError';
import { attachUpgradeDispatcher, type UpgradeDispatcher } from '../../../server/ws/upgradeDispatcher';
import { instructorSocket, learnerSocket, WsCloseError } from '../../../server/ws/wsRoute';

type Outcome =
  | { kind: 'refused'; status: number; body: unknown }
  | { kind: 'closed'; code: number; reason: string; received: string[] };

/** Connects and reports how the server answered: an HTTP refusal, or the frames and the close. */
function connect(url: string, headers: Record<string, string> = {}, origin?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, ...(origin ? { origin } : {}) });
    const received: string[] = [];
    ws.on('message', (data: Buffer) => received.push(data.toString()));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, body: JSON.parse(body) }));
    });
    ws.on('close', (code, reason) => resolve({ kind: 'closed', code, reason: reason.toString(), received }));
    ws.on('error', () => undefined);
  });
}

describe('the WebSocket upgrade dispatcher', () => {
  const server = http.createServer((_req, res) => res.end('plain HTTP'));
  const logged: { message: string; level: string | undefined }[] = [];
  let dispatcher: UpgradeDispatcher;
  let base: string;
  let origin: string;
  const learner = { cookie: 'who=learner-1' };
  const instructor = { cookie: 'role=instructor' };

  beforeAll(async () => {
    dispatcher = attachUpgradeDispatcher(
      server,
      [
        learnerSocket('/ws/echo/:name', 1024, ({ params, learnerId }) => (ws) => {
          ws.send(`${learnerId}:${params.name}`);
          ws.close(1000, 'done');
        }),
        learnerSocket('/ws/gone/:id', 1024, ({ params }) => {
          throw new WsCloseError(4004, `No such thing ${params.id}`);
        }),
        learnerSocket('/ws/throws', 1024, () => {
          throw new Error('a bug before the upgrade');
        }),
        learnerSocket('/ws/throws-later', 1024, () => () => {
          throw new Error('a bug on the open socket');
        }),
        learnerSocket('/ws/hold', 1024, () => () => undefined),
        instructorSocket('/ws/admin/:classId', 1024, ({ params }) => {
          if (params.classId !== 'known') throw new HttpError(404, 'No such class');
          return (ws) => ws.close(1000, 'welcome');
        }),
      ],
      {
        allowedOrigins: ['https://proxy.example'],
        identify: {
          learner: (req) => (req.headers.cookie === learner.cookie ? 'learner-1' : undefined),
          instructor: (req) => req.headers.cookie === instructor.cookie,
        },
        log: (message, level) => logged.push({ message, level }),
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    base = `ws://127.0.0.1:${port}`;
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('is the only upgrade listener on the server', () => {
    expect(server.listenerCount('upgrade')).toBe(1);
  });

  it('hands a known path its decoded segments and the learner who asked', async () => {
    expect(await connect(`${base}/ws/echo/caf%C3%A9`, learner, origin)).toEqual({
      kind: 'closed',
      code: 1000,
      reason: 'done',
      received: ['learner-1:café'],
    });
  });

  it('refuses a path no route has with HTTP 404 and says so', async () => {
    expect(await connect(`${base}/ws/nowhere`, learner, origin)).toEqual({
      kind: 'refused',
      status: 404,
      body: { error: { code: 'not_found', message: 'No WebSocket here' } },
    });
    expect(await connect(`${base}/ws/echo/a/b`, learner, origin)).toMatchObject({ status: 404 });
  });

  it('refuses another site with HTTP 403, and allows the configured origins', async () => {
    expect(await connect(`${base}/ws/echo/x`, learner, 'http://evil.example')).toMatchObject({
      kind: 'refused',
      status: 403,
    });
    expect(await connect(`${base}/ws/admin/known`, instructor, 'http://127.0.0.1:1')).toMatchObject({ status: 403 });
    expect(await connect(`${base}/ws/echo/x`, learner, 'https://proxy.example')).toMatchObject({ code: 1000 });
  });

  it('opens and closes with 4001 for a learner route without a learner', async () => {
    expect(await connect(`${base}/ws/echo/x`, {}, origin)).toMatchObject({
      kind: 'closed',
      code: 4001,
      reason: 'Not signed in',
    });
    expect(await connect(`${base}/ws/echo/x`, instructor, origin)).toMatchObject({ code: 4001 });
  });

  it('refuses an instructor route without an instructor session with HTTP 401', async () => {
    expect(await connect(`${base}/ws/admin/known`, learner, origin)).toEqual({
      kind: 'refused',
      status: 401,
      body: { error: { code: 'unauthenticated', message: 'Instructor sign-in required' } },
    });
    expect(await connect(`${base}/ws/admin/known`, instructor, origin)).toMatchObject({ code: 1000 });
  });

  it("turns a handler's HttpError into its status, and a WsCloseError into its close code", async () => {
    expect(await connect(`${base}/ws/admin/unknown`, instructor, origin)).toMatchObject({
      kind: 'refused',
      status: 404,
      body: { error: { message: 'No such class' } },
    });
    expect(await connect(`${base}/ws/gone/%E0%A4%A`, learner, origin)).toMatchObject({
      kind: 'closed',
      code: 4004,
      reason: 'No such thing ',
    });
  });

  it('answers a handler that throws with a logged 500 before the upgrade, 1011 after it, and keeps serving', async () => {
    expect(await connect(`${base}/ws/throws`, learner, origin)).toEqual({
      kind: 'refused',
      status: 500,
      body: { error: { code: 'internal', message: 'Something went wrong on the server' } },
    });
    expect(await connect(`${base}/ws/throws-later`, learner, origin)).toMatchObject({ kind: 'closed', code: 1011 });
    const errors = logged.filter((line) => line.level === 'error').map((line) => line.message);
    expect(errors).toEqual([
      expect.stringContaining('a bug before the upgrade'),
      expect.stringContaining('a bug on the open socket'),
    ]);
    expect(await connect(`${base}/ws/echo/still`, learner, origin)).toMatchObject({ received: ['learner-1:still'] });
  });

  it('answers a request that is no valid handshake with 400 and a warning', async () => {
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1', () =>
        socket.write('GET /ws/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'),
      );
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(logged.some((line) => line.level === 'warn' && line.message.startsWith('bad WebSocket handshake'))).toBe(
      true,
    );
  });

  it('closes every open socket with 1001 when the server shuts down', async () => {
    const ws = new WebSocket(`${base}/ws/hold`, { headers: learner, origin });
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve([code, reason.toString()])));
    dispatcher.close();
    expect(await closed).toEqual([1001, 'The server is shutting down']);
  });
});
