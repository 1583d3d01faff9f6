/**
 * npm run bench:inspector — what the Firewall view costs the terminals. N labs (BENCH_LABS, 4),
 * each with a ping running from Machine 2 so counters change every second. Keystroke-to-echo
 * latency on one lab's terminal is measured with no view open, then with the Firewall view open
 * on every lab (reading iptables at 1 Hz through nsenter from the host). Prints medians, p99,
 * the ratio, the refresh interval each view actually got, and the server's CPU share.
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { SessionView } from '../protocol/sessionView';
import type { ServerMessage } from '../protocol/inspector';
import { TerminalClient } from '../test/server/support/terminalClient';
import { api, guestCookie, wsUrl } from '../test/server/support/testServer';
import { keystroke } from './keystrokes';
import { spawnServer } from './serverProcess';
import { median, percentile } from './stats';
import { errorMessage } from '../server/log/errorMessage';

const LABS = Number(process.env.BENCH_LABS ?? 4);
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 400);
const OPEN_SECONDS = 10;
const PACE_MS = 20;

async function latency(client: TerminalClient): Promise<number[]> {
  for (let i = 0; i < 20; i++) await keystroke(client, i % 2 === 0 ? 'x' : '\x7f', 2000);
  const samples: number[] = [];
  // Paced like fast typing, so the phase spans many 1 Hz refreshes.
  for (let i = 0; i < KEYSTROKES; i++) {
    samples.push(await keystroke(client, i % 2 === 0 ? 'x' : '\x7f', 2000));
    await new Promise((r) => setTimeout(r, PACE_MS));
  }
  return samples;
}

/** CPU seconds of the server and its finished children (nsenter, iptables-save), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / 100;
}

async function measure(pid: number, client: TerminalClient): Promise<{ samples: number[]; cpu: number }> {
  const cpu0 = cpuSeconds(pid);
  const t0 = Date.now();
  const samples = await latency(client);
  return { samples, cpu: (cpuSeconds(pid) - cpu0) / ((Date.now() - t0) / 1000) };
}

function summary(label: string, r: { samples: number[]; cpu: number }): string {
  return `${label}: keystroke median ${median(r.samples).toFixed(2)} ms, p99 ${percentile(r.samples, 99).toFixed(2)} ms; server + children CPU ${(r.cpu * 100).toFixed(0)}% of a core`;
}

async function main(): Promise<void> {
  const server = await spawnServer({ LAB_MAX_PER_HOST: String(LABS + 1) });
  const views: WebSocket[] = [];
  const clients: TerminalClient[] = [];
  try {
    const labs: { cookie: string; session: SessionView }[] = [];
    for (let i = 0; i < LABS; i++) {
      const cookie = await guestCookie(server.url);
      const session = (await api(server.url, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie }))
        .json as SessionView;
      await api(server.url, `/api/sessions/${session.id}/auto-check`, {
        method: 'PUT',
        cookie,
        body: { enabled: false },
      });
      labs.push({ cookie, session });
    }
    for (const { cookie, session } of labs) {
      const m1 = session.machines.find((m) => m.id === 'machine1')?.addresses.lan ?? '';
      const client = TerminalClient.connect(
        wsUrl(server.url, session.machines.find((m) => m.id === 'machine2')?.terminalUrl ?? ''),
        { cookie, origin: server.url },
      );
      await client.opened;
      client.hello(120, 40);
      await client.waitFor(/\]# $/, 30_000);
      client.input(`ping -i 0.5 ${m1} >/dev/null 2>&1 &\r`);
      clients.push(client);
    }
    const typist = clients[0];
    if (!typist) throw new Error('no lab');
    await new Promise((r) => setTimeout(r, 1000));
    const before = await measure(server.pid, typist);

    const arrivals: number[][] = labs.map(() => []);
    for (const [i, { cookie, session }] of labs.entries()) {
      const ws = new WebSocket(wsUrl(server.url, `/ws/sessions/${session.id}/inspector`), {
        headers: { cookie, origin: server.url },
      });
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as ServerMessage;
        if (message.type === 'snapshot') arrivals[i]?.push(Date.now());
      });
      views.push(ws);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const opened = Date.now();
    const during = await measure(server.pid, typist);
    const remaining = OPEN_SECONDS * 1000 - (Date.now() - opened);
    if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
    const intervals = arrivals.flatMap((list) => list.slice(1).map((t, k) => t - (list[k] ?? t)));

    console.log(`${LABS} labs, ${KEYSTROKES} keystrokes each phase, a ping running in every lab`);
    console.log(summary('no view open          ', before));
    console.log(summary(`Firewall view on ${LABS} labs`, during));
    console.log(
      `p99 ratio with/without: ${(percentile(during.samples, 99) / percentile(before.samples, 99)).toFixed(2)}x; median ratio ${(median(during.samples) / median(before.samples)).toFixed(2)}x`,
    );
    console.log(
      `refresh interval per view: median ${median(intervals).toFixed(0)} ms, p99 ${percentile(intervals, 99).toFixed(0)} ms (goal ~1000 ms) over ${intervals.length} updates`,
    );
  } finally {
    for (const ws of views) ws.close();
    for (const c of clients) c.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:inspector failed: ${errorMessage(error)}`);
  process.exit(1);
});
