/**
 * npm run bench:classStart — a class starting on this host, exactly as it happens, through the
 * public HTTP and WebSocket API of a real server on loopback (its own process and LAB_INSTANCE,
 * LAB_WARM_POOL and LAB_ROSTER_WARM_MINUTES at their defaults; every lab ends when it stops):
 *
 *   1. the instructor signs in and creates a class expecting BENCH_SIZE (30) learners;
 *   2. opens its dashboard feed and keeps it open BENCH_WARM_SECONDS (60), or until the labs
 *      warmed for the class are ready (the server's /healthz counts them);
 *   3. BENCH_SIZE learners join within BENCH_JOIN_SECONDS (10), evenly spread, each pressing
 *      Start lab at once and opening Machine 1's terminal;
 *   4. prints how long the class took to warm, Start → prompt and join → prompt p50/p95/max (all,
 *      then those handed a warm lab and those whose lab was made for them), with the load average.
 * Goal (README "Sizing a host"): Start → prompt p95 ≤ 3 s. Other server settings can be passed
 * in the environment (e.g. LAB_START_CONCURRENCY) to measure a lever side by side.
 */
import Docker from 'dockerode';
import os from 'node:os';
import WebSocket from 'ws';
import { catalog } from '../labs';
import { loadConfig } from '../server/config';
import { TerminalClient } from '../test/server/support/terminalClient';
import { instructorCall, instructorLogin, join, learnerCall } from '../test/server/support/classroomClient';
import type { LabSessionJson } from '../test/server/support/classroomClient';
import { wsUrl } from '../test/server/support/testServer';
import { spawnServer } from './serverProcess';
import { percentile } from './stats';

const SIZE = Number(process.env.BENCH_SIZE ?? 30);
const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 60);
const JOIN_SECONDS = Number(process.env.BENCH_JOIN_SECONDS ?? 10);
const PASSWORD = 'bench-class-start-password';
const PROMPT = /\]# $/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
const docker = new Docker({ socketPath: loadConfig().runtime.socketPath });

const server = await spawnServer({
  INSTRUCTOR_PASSWORD: PASSWORD,
  // As in production: one lab of each kind warm, and labs warmed for a class while its dashboard is open.
  LAB_WARM_POOL: '1',
  LAB_ROSTER_WARM_MINUTES: '15',
});
const instance = `b-${process.pid}`;

/** Warm labs the server has ready to hand out. */
async function warmReady(base: string): Promise<number> {
  const health = (await (await fetch(`${base}/healthz`)).json()) as { warmLabs?: number };
  return health.warmLabs ?? 0;
}

/** The deployments of this server's machines: a lab made for a learner has the learner's session id. */
async function deploymentIds(): Promise<Set<string>> {
  const containers = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`iptables-lab.instance=${instance}`] }),
  });
  return new Set(containers.map((c) => c.Labels['iptables-lab.session'] ?? ''));
}

interface Learner {
  /** Start pressed → the lab ready (the answer, or polled until then). */
  startToReady: number;
  startToPrompt: number;
  joinToPrompt: number;
  /** When Start was pressed (performance.now()): the order the server saw the learners in. */
  pressedAt: number;
  sessionId: string;
  term: TerminalClient;
}

async function learner(base: string, code: string, labId: string, n: number): Promise<Learner> {
  const t0 = performance.now();
  const cookie = await join(base, code, `Learner ${n + 1}`);
  const pressed = performance.now();
  let session = await learnerCall<LabSessionJson>(base, cookie, `/api/labs/${labId}/sessions`, 'POST');
  while (session.status !== 'ready') {
    await sleep(50);
    session = await learnerCall<LabSessionJson>(base, cookie, `/api/sessions/${session.id}`);
  }
  const startToReady = performance.now() - pressed;
  const url = session.machines[0]?.terminalUrl ?? '';
  const term = TerminalClient.connect(wsUrl(base, url), { cookie, origin: base });
  await term.opened;
  term.hello(120, 40);
  await term.waitFor(PROMPT, 120_000);
  const now = performance.now();
  return {
    startToReady,
    startToPrompt: now - pressed,
    joinToPrompt: now - t0,
    pressedAt: pressed,
    sessionId: session.id,
    term,
  };
}

try {
  const base = server.url;
  const instructor = await instructorLogin(base, PASSWORD);
  const cls = await instructorCall<{ class: { id: string; joinCode: string; labId: string } }>(
    base,
    instructor,
    '/api/instructor/classes',
    'POST',
    { name: 'Bench class start', expectedSize: SIZE },
  );
  console.log(
    `bench:classStart — class of ${SIZE}, dashboard open ${WARM_SECONDS} s before, joins within ${JOIN_SECONDS} s`,
  );
  const dashboard = new WebSocket(wsUrl(base, `/ws/instructor/classes/${cls.class.id}`), {
    headers: { cookie: instructor.cookie },
    origin: base,
  });
  await new Promise((resolve, reject) => dashboard.once('open', resolve).once('error', reject));
  const opened = performance.now();
  // The class's labs plus the general warm pool's lab of each lab of the catalog.
  const wanted = SIZE + catalog.list().length;
  let ready = 0;
  let warmedIn: number | undefined;
  /** Labs warm every 15 s: the host's warming rate, the phase that decides how much of the class starts warm. */
  const progress: string[] = [];
  while (performance.now() - opened < WARM_SECONDS * 1000) {
    ready = await warmReady(base);
    const at = Math.floor((performance.now() - opened) / 15_000) * 15;
    if (at > 0 && !progress.some((p) => p.startsWith(`${at} s:`))) progress.push(`${at} s: ${ready} (load ${load()})`);
    if (ready >= wanted) {
      warmedIn = (performance.now() - opened) / 1000;
      break;
    }
    await sleep(250);
  }
  console.log(
    warmedIn === undefined
      ? `  dashboard open ${WARM_SECONDS} s: ${ready} of ${wanted} labs warm (class ${SIZE} + warm pools ${wanted - SIZE}), load ${load()}`
      : `  all ${wanted} labs warm (class ${SIZE} + warm pools ${wanted - SIZE}) ${warmedIn.toFixed(1)} s after the class was created: ${(warmedIn / wanted).toFixed(2)} s per lab, load ${load()}`,
  );
  if (progress.length > 0) console.log(`  labs warm after ${progress.join(', ')}`);
  // As the flow goes: the instructor waits the whole minute before the class joins.
  const rest = WARM_SECONDS * 1000 - (performance.now() - opened);
  if (rest > 0) await sleep(rest);
  console.log(`  at the joins: ${await warmReady(base)} labs warm, load ${load()}`);

  const gap = (JOIN_SECONDS * 1000) / SIZE;
  const loadBefore = load();
  const learners = await Promise.all(
    Array.from({ length: SIZE }, async (_, n) => {
      await sleep(n * gap);
      return learner(base, cls.class.joinCode, cls.class.labId, n);
    }),
  );
  const madeFor = await deploymentIds();
  const cold = learners.filter((l) => madeFor.has(l.sessionId));
  const warm = learners.filter((l) => !madeFor.has(l.sessionId));
  const starts = learners.map((l) => l.startToPrompt);
  const joins = learners.map((l) => l.joinToPrompt);
  const line = (samples: number[]) =>
    samples.length === 0
      ? '—'
      : `p50 ${percentile(samples, 50).toFixed(0)} ms   p95 ${percentile(samples, 95).toFixed(0)} ms   max ${Math.max(...samples).toFixed(0)} ms`;
  console.log('');
  console.log(`Start → prompt  ${line(starts)}   (goal: p95 ≤ 3000 ms)`);
  console.log(`join → prompt   ${line(joins)}`);
  console.log(`within 3 s: ${starts.filter((s) => s <= 3000).length} of ${SIZE}`);
  console.log(`Start → ready   ${line(learners.map((l) => l.startToReady))}   (the lab's answer)`);
  console.log(`handed a warm lab (${warm.length}): Start → ready ${line(warm.map((l) => l.startToReady))}`);
  console.log(`                    Start → prompt ${line(warm.map((l) => l.startToPrompt))}`);
  console.log(`                    ready → prompt ${line(warm.map((l) => l.startToPrompt - l.startToReady))}`);
  console.log(`lab made for them (${cold.length}): Start → prompt ${line(cold.map((l) => l.startToPrompt))}`);
  const secs = (ms: number) => (ms / 1000).toFixed(1);
  console.log(
    `each learner in the order they pressed Start (at s after the first): Start → ready / prompt (s): ${[...learners]
      .sort((a, b) => a.pressedAt - b.pressedAt)
      .map(
        (l) =>
          `@${secs(l.pressedAt - Math.min(...learners.map((x) => x.pressedAt)))} ${secs(l.startToReady)}/${secs(l.startToPrompt)}`,
      )
      .join(', ')}`,
  );
  console.log(`load average (1/5/15 min): before the joins ${loadBefore}, after ${load()}`);
  for (const l of learners) l.term.close();
  dashboard.close();
} finally {
  await server.stop();
}
