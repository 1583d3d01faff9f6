/**
 * npm run bench:class — a class on this host, through the public HTTP and WebSocket API of a real
 * server on loopback (its own process, its own LAB_INSTANCE; every lab ends when it stops).
 *
 *   1. BENCH_K (10) learners press Start at the same moment: time to a ready lab, p50/p95.
 *   2. Ramp to BENCH_N (40) active labs, BENCH_STEP (10) at a time. Every learner types a command
 *      on machine1 every ~10 s at ~7 keys/s, with auto-check on. At each level:
 *      - a probe learner's keystroke echo, p50/p99 over 200 keys;
 *      - finished command -> auto-check verdict on the lab page's event channel, p95 (the new
 *        learners' backup command: its pass; and how much of it the server took);
 *      - MB per lab (machines' cgroups + the server's RSS) and CPU seconds per lab-minute
 *        (machines + server; the Docker engine's share is shown apart, as other users share it).
 *      - the server's own account of every auto-check in the level (LOG_LEVEL=debug "check phases"):
 *        finished command → verdict handed to the event sockets, p50/p95, and the p95 of each
 *        phase (settle, queue, checker, store, push).
 * BENCH_LEVELS=10,50,100 names the levels instead of BENCH_STEP; new labs are started
 * BENCH_START_CONCURRENCY (4) at a time. BENCH_WARM=n keeps n labs warm and waits for them before
 * the starts: what warming labs for a class's roster would give. CHECK_CONCURRENCY is handed to
 * the server. Bounded by BENCH_MAX_MINUTES (30). Prints a table with the load average; writes
 * bench/results/class.json.
 */
import Docker from 'dockerode';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config';
import type { BenchLearner } from './class/BenchLearner';
import { describe as describePhases, phaseLines, summarize } from './class/phaseStats';
import { startLabs } from './class/startLabs';
import { classCosts } from './class/classCosts';
import { work, type Active, type Verdicts } from './class/learnerAtWork';
import { typeKeys } from './keystrokes';
import { spawnServer, type ServerProcess } from './serverProcess';
import { boundedEcho, hostNow, loopSummary, slowEchoes } from './class/hostFigures';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sweepStaleBenches } from './class/staleBenches';
import { levelLine, levelTable, type Level } from './class/levelReport';
import { percentile } from './stats';
import { errorMessage } from '../server/log/errorMessage';

const K = Number(process.env.BENCH_K ?? 10);
const N = Number(process.env.BENCH_N ?? 40);
const STEP = Number(process.env.BENCH_STEP ?? 10);
const MAX_MINUTES = Number(process.env.BENCH_MAX_MINUTES ?? 30);
const WARM = Number(process.env.BENCH_WARM ?? 0);
const LEVELS = process.env.BENCH_LEVELS?.split(',')
  .map(Number)
  .filter((n) => n > 0);
const START_CONCURRENCY = Number(process.env.BENCH_START_CONCURRENCY ?? 4);
const LAB_ID = 'iptables-single-server';
/** On a saturated host an echo can take seconds: that is a figure to print (a floor), not a failure. */
const ECHO_TIMEOUT_MS = 10_000;
/** The probe's 200 keys take ~25 s on a quiet host; a saturated one gets this long, then the level goes on. */
const ECHO_WINDOW_MS = 90_000;
/** The keystroke goal's tail: an echo slower than this is looked up in the server's loop windows. */
const SLOW_ECHO_MS = 50;
/** How long a level waits for its newest learners' timed verdicts. */
const VERDICT_WAIT_MS = 90_000;
/** BENCH_CPU_PROF=dir: the server writes a V8 CPU profile there when it stops. */
const CPU_PROF = process.env.BENCH_CPU_PROF;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const instance = `bc-${process.pid}`;
const docker = new Docker({ socketPath: loadConfig().runtime.socketPath });

/** Waits until the server reports `count` warm labs ready (its /healthz). */
async function warmed(base: string, count: number, deadline: number): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${base}/healthz`)).json()) as { warmLabs?: number };
    if ((health.warmLabs ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`the warm pool never reached ${count}`);
    await sleep(500);
  }
}

let running: ServerProcess | undefined;
/** Interrupted (Ctrl-C, a timeout's SIGTERM): the server ends every lab it made before we exit. */
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench:class: ${signal}, removing the bench's labs`);
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const deadline = Date.now() + MAX_MINUTES * 60_000;
  // A bench killed with -9 left its server's labs (its server got SIGTERM, but may have died mid-way).
  await sweepStaleBenches();
  const server = await spawnServer(
    {
      LAB_INSTANCE: instance,
      LAB_MAX_PER_HOST: String(Math.max(N, K, ...(LEVELS ?? [])) + 2 + WARM),
      LOG_LEVEL: 'debug',
      LAB_WARM_POOL: String(WARM),
      // Every simulated learner signs in as a guest from this one address.
      GUEST_SIGNINS_PER_10_MIN: String(Math.max(N, K, ...(LEVELS ?? [])) * 4),
    },
    'main.ts',
    ['--import', './bench/class/loopProbe.ts', ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [])],
  );
  running = server;
  const stop = { now: false };
  const workers: Promise<void>[] = [];
  const active: Active[] = [];
  try {
    if (WARM > 0) await warmed(server.url, WARM, deadline);
    // 1. Simultaneous starts.
    const { learners: starts } = await startLabs(server.url, LAB_ID, K, K);
    const startMs = starts.map((l) => l.startMs);
    const startLoad = os.loadavg()[0] ?? 0;
    console.log(
      `${K} simultaneous starts: p50 ${percentile(startMs, 50).toFixed(0)} ms, p95 ${percentile(startMs, 95).toFixed(0)} ms, load ${startLoad.toFixed(1)}`,
    );

    // The probe learner only types the 200 measured keys; its lab counts as one of the active ones.
    const probeLearner = starts[0] as BenchLearner;
    const probe = await probeLearner.terminal('machine2');
    await typeKeys(probe, 20, 20, ECHO_TIMEOUT_MS);
    const pending: BenchLearner[] = starts.slice(1);
    const targets = LEVELS ?? [
      ...new Set(
        [...Array.from({ length: Math.ceil((N - K) / STEP) }, (_, i) => K + i * STEP), N].filter(
          (t) => t >= K && t <= N,
        ),
      ),
    ];
    const levels: Level[] = [];
    for (const target of targets) {
      if (Date.now() > deadline) throw new Error(`stopped after BENCH_MAX_MINUTES=${MAX_MINUTES}`);
      // A ramp, not a stampede: the newcomers of a level start a few at a time.
      const started = await startLabs(
        server.url,
        LAB_ID,
        Math.max(0, target - 1 - active.length - pending.length),
        START_CONCURRENCY,
      );
      pending.push(...started.learners);
      // A terminal that does not open on a saturated host is counted, not fatal.
      const opened = await Promise.allSettled(
        pending.splice(0).map(async (learner) => ({ learner, term: await learner.terminal('machine1') })),
      );
      const fresh = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      const terminalsFailed = opened.length - fresh.length;
      const verdicts: Verdicts = { seen: [], checked: [] };
      const timeouts = { n: 0 };
      const before = await classCosts(docker, instance, server.pid);
      const began = performance.now();
      const beganAt = Date.now();
      for (const a of fresh) workers.push(work(a, verdicts, timeouts, stop));
      active.push(...fresh);
      const labs = active.length + 1;
      // The bench's own loop also delays the echoes it times.
      const benchLoop = monitorEventLoopDelay({ resolution: 10 });
      benchLoop.enable();
      const probed = await boundedEcho(probe, 200, 100, ECHO_TIMEOUT_MS, ECHO_WINDOW_MS);
      benchLoop.disable();
      const { samples: echo, lost: echoLost } = probed;
      // Give the newest learners time for their timed command.
      while (verdicts.seen.length + timeouts.n < fresh.length && performance.now() - began < VERDICT_WAIT_MS)
        await sleep(500);
      const after = await classCosts(docker, instance, server.pid);
      const minutes = (performance.now() - began) / 60_000;
      const level: Level = {
        labs,
        echoP50: percentile(echo, 50),
        echoP99: percentile(echo, 99),
        verdictP95: percentile(verdicts.seen, 95),
        verdictP50: percentile(verdicts.seen, 50),
        checkedP95: percentile(verdicts.checked, 95),
        verdicts: verdicts.seen.length,
        verdictTimeouts: timeouts.n,
        echoLost,
        terminalsFailed,
        loop: loopSummary(server.output(), beganAt, Date.now()),
        benchLoopP99: Math.max(0, benchLoop.percentile(99) / 1e6 - 10),
        slowEchoes: slowEchoes(server.output(), probed, SLOW_ECHO_MS),
        host: hostNow(),
        mbPerLab: after.memoryBytes / labs / 2 ** 20,
        cpuSecondsPerLabMinute: (after.cpuSeconds - before.cpuSeconds) / labs / minutes,
        serverCpuSecondsPerLabMinute: (after.serverCpuSeconds - before.serverCpuSeconds) / labs / minutes,
        engineCpuSecondsPerLabMinute: (after.engineCpuSeconds - before.engineCpuSeconds) / labs / minutes,
        server: summarize(phaseLines(server.output()), beganAt, Date.now()),
        startsRetried: started.retried,
      };
      levels.push(level);
      console.log(levelLine(level));
      console.log(`  ${describePhases(level.server)}; starts tried again ${level.startsRetried}`);
    }
    stop.now = true;

    console.log('');
    console.log(
      `bench:class on ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB; K=${K}, N=${N}, warm labs ${WARM}`,
    );
    console.log(
      `simultaneous starts (${K}): p50 ${percentile(startMs, 50).toFixed(0)} ms, p95 ${percentile(startMs, 95).toFixed(0)} ms, load ${startLoad.toFixed(1)}   (goal for 10: p95 <= 3000 ms)`,
    );
    for (const line of levelTable(levels)) console.log(line);
    const out = path.resolve(import.meta.dirname, 'results');
    mkdirSync(out, { recursive: true });
    // BENCH_NAME keeps side-by-side runs (one per lever setting) apart.
    const file = path.join(out, process.env.BENCH_NAME ? `class-${process.env.BENCH_NAME}.json` : 'class.json');
    writeFileSync(
      file,
      `${JSON.stringify({ at: new Date().toISOString(), cores: os.cpus().length, memoryGB: os.totalmem() / 2 ** 30, K, N, STEP, warm: WARM, starts: { p50: percentile(startMs, 50), p95: percentile(startMs, 95), all: startMs, loadavg: startLoad }, levels }, null, 2)}\n`,
    );
    console.log(`written to ${path.relative(process.cwd(), file)}`);
  } finally {
    stop.now = true;
    for (const a of active) a.term.close();
    await Promise.race([Promise.allSettled(workers), sleep(15_000)]);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:class failed: ${errorMessage(error)}`);
  process.exit(1);
});
