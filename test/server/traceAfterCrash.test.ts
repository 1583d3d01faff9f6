import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../protocol/inspector';
import { RestartableServer } from '../support/restartableServer';
import { hasTraceTable, machinePid, traceHelpersIn } from '../support/traceHelpers';
import { until } from '../support/until';
import { api, guestCookie } from './support/testServer';

const server = new RestartableServer('trace');

/** Opens the Firewall view's socket as the page does. */
function openView(base: string, sessionId: string, cookie: string): { ws: WebSocket; messages: ServerMessage[] } {
  const url = `${base.replace(/^http/, 'ws')}/ws/sessions/${sessionId}/inspector`;
  const ws = new WebSocket(url, { headers: { origin: base, cookie } });
  const messages: ServerMessage[] = [];
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as ServerMessage));
  return { ws, messages };
}

describe('a server killed with SIGKILL in the middle of a packet trace', () => {
  afterAll(() => server.dispose());

  it('leaves no trace helper and no trace table 10 s after it starts again', async () => {
    const base = await server.start();
    const cookie = await guestCookie(base);
    const lab = (await api(base, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie })).json as {
      id: string;
      firewalls: { machineId: string }[];
    };
    const machineId = lab.firewalls[0]?.machineId ?? '';
    const view = openView(base, lab.id, cookie);
    await until(() => view.messages.find((m) => m.type === 'snapshot'), 30_000);
    view.ws.send(JSON.stringify({ type: 'traceStart', filter: { packets: 50 } }));
    await until(() => view.messages.find((m) => m.type === 'trace' && m.state === 'running'), 30_000);
    const pid = await machinePid(server.env.LAB_INSTANCE ?? '', machineId);
    expect(await traceHelpersIn(pid)).toBe(1);
    expect(await hasTraceTable(pid)).toBe(true);

    await server.restart('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 10_000));

    // The same machine, adopted again: nothing of the trace is left on the host or in its kernel.
    expect(await machinePid(server.env.LAB_INSTANCE ?? '', machineId)).toBe(pid);
    expect(await traceHelpersIn(pid)).toBe(0);
    expect(await hasTraceTable(pid)).toBe(false);
    view.ws.close();
  });
});
