import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SessionView } from '../../protocol/sessionView';
import type { ServerMessage } from '../../protocol/inspector';
import { api, guestCookie, startTestServer, wsUrl } from './support/testServer';
import { until } from '../support/until';

type Server = Awaited<ReturnType<typeof startTestServer>>;

interface Opened {
  ws: WebSocket;
  messages: ServerMessage[];
  closed: Promise<number>;
}

function open(url: string, headers: Record<string, string>): Opened {
  const ws = new WebSocket(url, { headers });
  const messages: ServerMessage[] = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as ServerMessage));
  return { ws, messages, closed: new Promise((resolve) => ws.on('close', (code) => resolve(code))) };
}

/** The Firewall view's socket: only the lab's owner gets in, and bad frames get an answer, not a crash. */
describe('the inspector socket', () => {
  let server: Server;
  let owner: string;
  let session: SessionView;
  const url = (): string => wsUrl(server.url, `/ws/sessions/${session.id}/inspector`);

  beforeAll(async () => {
    server = await startTestServer();
    owner = await guestCookie(server.url);
    session = (await api(server.url, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie: owner }))
      .json as SessionView;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("closes 4001 without a cookie and 4004 for someone else's lab; refuses a foreign Origin", async () => {
    expect(await open(url(), { origin: server.url }).closed).toBe(4001);
    const other = await guestCookie(server.url);
    expect(await open(url(), { origin: server.url, cookie: other }).closed).toBe(4004);
    const foreign = new WebSocket(url(), { headers: { origin: 'http://evil.example', cookie: owner } });
    const status = await new Promise<number>((resolve) =>
      foreign.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
  });

  it("names the lab's firewall, and closes 4004 for a machine whose firewall the lab does not show", async () => {
    const view = open(url(), { origin: server.url, cookie: owner });
    const lab = await until(() =>
      view.messages.find((m): m is Extract<ServerMessage, { type: 'lab' }> => m.type === 'lab'),
    );
    expect(lab.firewall).toMatchObject({
      machineId: 'machine1',
      rulesFile: '/etc/sysconfig/iptables',
      service: 'iptables',
    });
    view.ws.close();
    expect(await open(`${url()}?machine=machine2`, { origin: server.url, cookie: owner }).closed).toBe(4004);
  });

  it('sends the lab and a snapshot, answers bad frames with an error and keeps serving', async () => {
    const view = open(url(), { origin: server.url, cookie: owner });
    await until(() => view.messages.find((m) => m.type === 'lab'));
    await until(() => view.messages.find((m) => m.type === 'snapshot'));
    view.ws.send('not json');
    view.ws.send(
      JSON.stringify({ type: 'whatIf', id: 1, query: { from: '$(reboot)', to: 'x', protocol: 'tcp', state: 'NEW' } }),
    );
    view.ws.send(JSON.stringify({ type: 'traceStart', filter: { packets: 10_000 } }));
    await until(() => (view.messages.filter((m) => m.type === 'error').length >= 3 ? true : undefined));
    view.ws.send(
      JSON.stringify({
        type: 'whatIf',
        id: 2,
        query: { from: 'machine2', to: '', protocol: 'tcp', port: 22, state: 'NEW' },
      }),
    );
    const answer = await until(() =>
      view.messages.find((m): m is Extract<ServerMessage, { type: 'whatIf' }> => m.type === 'whatIf' && m.id === 2),
    );
    expect(answer.answers[0]).toMatchObject({ source: 'running', verdict: 'ACCEPT', deciding: { fileLine: 16 } });
    view.ws.close();
  });
});
