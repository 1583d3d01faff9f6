/**
 * npm run bench:terminal — the real bridge (HTTP API, WebSocket, terminal hub, dtach socket)
 * into a real container, driven by a Node client that acknowledges output like the page does.
 * Prints keystroke-to-echo latency over 1000 keystrokes and the throughput of a 50 MB burst.
 * Goals on a 2-core host: median <= 5 ms, p99 <= 20 ms, >= 30 MB/s. Env: BENCH_BURSTS (5), BENCH_AUTO_CHECK=on.
 */
import type { SessionView } from '../protocol/sessionView';
import { TerminalClient } from '../test/server/support/terminalClient';
import { api, guestCookie, wsUrl } from '../test/server/support/testServer';
import { keystroke } from './keystrokes';
import { spawnServer } from './serverProcess';
import { median, percentile } from './stats';
import { errorMessage } from '../server/log/errorMessage';

const KEYSTROKES = 1000;
const BURST_BYTES = 50 * 1024 * 1024;
const BURSTS = Number(process.env.BENCH_BURSTS ?? 5);
const AUTO_CHECK = process.env.BENCH_AUTO_CHECK === 'on';

/** One 50 MB burst through the shell; resolves with MB/s (MB = 2^20 bytes) once its end marker arrives. */
async function burst(client: TerminalClient): Promise<number> {
  const marker = client.position;
  const bytesBefore = client.bytes;
  const start = process.hrtime.bigint();
  client.input(`head -c ${BURST_BYTES} /dev/zero | tr '\\0' x; echo; echo "BURST-$((40+2))"\r`);
  await client.waitFor('BURST-42', 120_000, marker);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await client.waitFor(/\]# $/, 10_000, client.position - 64);
  return (client.bytes - bytesBefore) / (1024 * 1024) / seconds;
}

async function main(): Promise<void> {
  const server = await spawnServer();
  try {
    const cookie = await guestCookie(server.url);
    const session = (await api(server.url, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie }))
      .json as SessionView;
    // Measure the terminal, not the grading engine: with auto-check on, every finished burst
    // starts the current step's checker (docker execs, nmap) right under the next burst.
    // BENCH_AUTO_CHECK=on measures that mix instead.
    const autoCheck = await api(server.url, `/api/sessions/${session.id}/auto-check`, {
      method: 'PUT',
      cookie,
      body: { enabled: AUTO_CHECK },
    });
    if (autoCheck.status !== 200) throw new Error(`could not set auto-check (HTTP ${autoCheck.status})`);
    const url = session.machines.find((m) => m.id === 'machine2')?.terminalUrl ?? '';
    const client = TerminalClient.connect(wsUrl(server.url, url), { cookie, origin: server.url });
    await client.opened;
    client.hello(120, 40);
    await client.waitFor(/\]# $/);

    // Latency: type a character, then erase it, so the line never grows.
    for (let i = 0; i < 50; i++) await keystroke(client, i % 2 === 0 ? 'x' : '\x7f', 2000); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < KEYSTROKES; i++) samples.push(await keystroke(client, i % 2 === 0 ? 'x' : '\x7f', 2000));

    // Throughput: 50 MB through the TTY with flow control on (the client ACKs as it receives),
    // several times, since one run on a 2-core host says little.
    // One uncounted warm-up burst first, as for the keystrokes: a long-running server is JIT-warm.
    await burst(client);
    const rates: number[] = [];
    for (let i = 0; i < BURSTS; i++) rates.push(await burst(client));

    console.log(
      `keystroke -> echo over ${KEYSTROKES} keystrokes: median ${median(samples).toFixed(2)} ms, p99 ${percentile(samples, 99).toFixed(2)} ms, max ${Math.max(...samples).toFixed(2)} ms   (goals: <= 5 ms, <= 20 ms)`,
    );
    console.log(
      `50 MB burst x${BURSTS} (after 1 warm-up): median ${median(rates).toFixed(1)} MB/s, worst ${Math.min(...rates).toFixed(1)} MB/s with flow control on, auto-check ${AUTO_CHECK ? 'on' : 'off'}   (goal: >= 30 MB/s); runs: ${rates.map((r) => r.toFixed(1)).join(', ')}`,
    );
    client.close();
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:terminal failed: ${errorMessage(error)}`);
  process.exit(1);
});
