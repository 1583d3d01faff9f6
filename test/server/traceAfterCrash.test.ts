import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tapNames } from '../../server/journal/PacketTap';
import WebSocket from 'ws';
import type { ServerMessage } from '../../protocol/inspector';
import { RestartableServer } from '../support/restartableServer';
import { hasTraceTable, machinePid, traceHelpersIn } from '../support/traceHelpers';
import { until } from '../support/until';
import { api, guestCookie } from './support/testServer';

const server = new RestartableServer('trace');

/** Waits until the machine's network namespace has no trace helper; fails after `timeoutMs`. */
async function untilNoHelpersIn(pid: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await traceHelpersIn(pid)) > 0) {
    if (Date.now() > end) throw new Error(`trace helpers still run in ${pid} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The host's processes reading this server's journal NFLOG group (its packet tap). */
function tapsOf(namespace: string): number {
  const wanted = `nflog:${tapNames(namespace).group}`;
  let count = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(wanted)) count++;
    } catch {
      // The process ended meanwhile.
    }
  }
  return count;
}

/** Whether the host still has this server's journal table (the tap's nftables bridge table). */
function hasJournalTable(namespace: string): boolean {
  const tables = execFileSync('nft', ['list', 'tables', 'bridge'], { encoding: 'utf8' });
  return tables.split('\n').includes(`table bridge ${tapNames(namespace).table}`);
}

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

  it('leaves no trace helper and no trace table once it has started again', async () => {
    const base = await server.start();
    const cookie = await guestCookie(base);
    const lab = (await api(base, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie })).json as {
      id: string;
      firewalls: { machineId: string }[];
    };
    const machineId = lab.firewalls[0]?.machineId ?? '';
    const view = openView(base, lab.id, cookie);
    await until(() => view.messages.find((m) => m.type === 'snapshot'), 120_000);
    view.ws.send(JSON.stringify({ type: 'traceStart', filter: { packets: 50 } }));
    await until(() => view.messages.find((m) => m.type === 'trace' && m.state === 'running'), 120_000);
    const pid = await machinePid(server.env.LAB_INSTANCE ?? '', machineId);
    expect(await traceHelpersIn(pid)).toBe(1);
    expect(await hasTraceTable(pid)).toBe(true);
    const namespace = server.env.LAB_INSTANCE ?? '';
    expect(tapsOf(namespace)).toBe(1);
    expect(hasJournalTable(namespace)).toBe(true);

    await server.stop('SIGKILL');
    // The journal's packet tap and its table die with the server at once, not only when a new one starts.
    await until(() => (tapsOf(namespace) === 0 && !hasJournalTable(namespace)) || undefined, 120_000);
    const again = await server.start();
    // The server holds every request until it has taken its labs back: this one's answer means it has.
    expect((await api(again, `/api/sessions/${lab.id}`, { cookie })).status).toBe(200);

    // The same machine, adopted again: nothing of the trace is left on the host or in its kernel.
    expect(await machinePid(server.env.LAB_INSTANCE ?? '', machineId)).toBe(pid);
    expect(await hasTraceTable(pid)).toBe(false);
    await untilNoHelpersIn(pid, 30_000);
    // Only the new server's packet tap runs, with its own table.
    expect(tapsOf(namespace)).toBe(1);
    expect(hasJournalTable(namespace)).toBe(true);
    view.ws.close();
    // Two server starts and a lab start: minutes on a loaded host.
  }, 300_000);
});
