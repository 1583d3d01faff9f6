/**
 * npm run bench:classStart — a class starting on this host, exactly as it happens, through the
 * public HTTP and WebSocket API of a real server on loopback (its own process and LAB_INSTANCE,
 * LAB_WARM_POOL and LAB_ROSTER_WARM_MINUTES at their defaults; every lab ends when it stops):
 *
 *   1. the instructor signs in and creates a class expecting BENCH_SIZE (30) learners;
 *   2. opens its dashboard feed and keeps it open BENCH_WARM_SECONDS (60), or until the labs
 *      warmed for the class are up;
 *   3. BENCH_SIZE learners join within BENCH_JOIN_SECONDS (10), evenly spread, each pressing
 *      Start lab at once and opening Machine 1's terminal;
 *   4. prints Start → prompt and join → prompt p50/p95/max, with the load average.
 * Goal (README "Sizing a host"): Start → prompt p95 ≤ 3 s.
 */
import Docker from 'dockerode';
import os from 'node:os';
import WebSocket from 'ws';
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
const MACHINES_PER_LAB = 3;

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

/** This server's lab machines that run: a warm lab counts once its three machines do. */
async function runningMachines(): Promise<number> {
  const containers = await docker.listContainers({
    filters: JSON.stringify({ label: [`iptables-lab.instance=${instance}`], status: ['running'] }),
  });
  return containers.length;
}

interface Learner {
  /** Start pressed → the lab ready (the answer, or polled until then). */
  startToReady: number;
  startToPrompt: number;
  joinToPrompt: number;
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
  return { startToReady, startToPrompt: now - pressed, joinToPrompt: now - t0, term };
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
  // The class's labs plus the lab of the general warm pool; a lab's machines run a moment before it is ready.
  const wanted = (SIZE + 1) * MACHINES_PER_LAB;
  let machines = 0;
  while (performance.now() - opened < WARM_SECONDS * 1000) {
    machines = await runningMachines();
    if (machines >= wanted) break;
    await sleep(1000);
  }
  if (machines >= wanted) await sleep(3000);
  const warmedIn = (performance.now() - opened) / 1000;
  console.log(
    `  dashboard open ${warmedIn.toFixed(0)} s: ${Math.floor((await runningMachines()) / MACHINES_PER_LAB)} labs up (class ${SIZE} + warm pool 1), load ${load()}`,
  );

  const gap = (JOIN_SECONDS * 1000) / SIZE;
  const loadBefore = load();
  const learners = await Promise.all(
    Array.from({ length: SIZE }, async (_, n) => {
      await sleep(n * gap);
      return learner(base, cls.class.joinCode, cls.class.labId, n);
    }),
  );
  const starts = learners.map((l) => l.startToPrompt);
  const joins = learners.map((l) => l.joinToPrompt);
  const line = (samples: number[]) =>
    `p50 ${percentile(samples, 50).toFixed(0)} ms   p95 ${percentile(samples, 95).toFixed(0)} ms   max ${Math.max(...samples).toFixed(0)} ms`;
  console.log('');
  console.log(`Start → prompt  ${line(starts)}   (goal: p95 ≤ 3000 ms)`);
  console.log(`join → prompt   ${line(joins)}`);
  console.log(`within 3 s: ${starts.filter((s) => s <= 3000).length} of ${SIZE}`);
  console.log(`Start → ready   ${line(learners.map((l) => l.startToReady))}   (the lab's answer)`);
  console.log(`load average (1/5/15 min): before the joins ${loadBefore}, after ${load()}`);
  for (const l of learners) l.term.close();
  dashboard.close();
} finally {
  await server.stop();
}
