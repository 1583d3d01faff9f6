/**
 * npm run bench:dashboard — the dashboard side of a big class, with simulated learners.
 *
 * 1. On a real SQLite file, in this process: the class snapshot, the grades and the CSV for
 *    BENCH_LEARNERS (200) learners × BENCH_ATTEMPTS (150) attempts, median and p95 of 30 runs.
 * 2. The real server (its own process) with that class seeded and a check recorded through the
 *    grading engine every 50 ms (each learner about every 10 s), and one real lab for a probe
 *    learner: keystroke echo p50/p99 over 200 keys with no dashboard open, then with
 *    BENCH_DASHBOARDS (3) dashboards open, the bytes per second each receives, and the time of the
 *    CSV, the JSON grades and a grade run over HTTP.
 * Goals: snapshot <= 5 ms; keystroke p99 <= 50 ms with the dashboards open.
 * Prints a table and writes bench/results/dashboard.json. BENCH_SERVER=0 runs part 1 only (no
 * server, no Docker) and prints its rows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { catalog as labCatalog } from '../labs';
import { classGrades, classSnapshot } from '../server/classroom/classSnapshot';
import { toCsv } from '../server/classroom/csv';
import { gradeTable } from '../server/classroom/grades';
import type { SessionView } from '../protocol/sessionView';
import { Store } from '../server/store/Store';
import { instructorLogin } from '../test/server/support/classroomClient';
import { TerminalClient } from '../test/server/support/terminalClient';
import { api, guestCookie, wsUrl } from '../test/server/support/testServer';
import { typeKeys } from './keystrokes';
import { seedClass } from './class/seedClass';
import { spawnServer } from './serverProcess';
import { percentile } from './stats';
import { errorMessage } from '../server/log/errorMessage';

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 200);
const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 150);
const DASHBOARDS = Number(process.env.BENCH_DASHBOARDS ?? 3);
const KEYS = 200;
const RUNS = 30;
const LAB_ID = 'iptables-single-server';

const timed = (work: () => unknown): number => {
  const start = performance.now();
  work();
  return performance.now() - start;
};
const summary = (samples: number[]) => ({
  min: Math.min(...samples),
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  p99: percentile(samples, 99),
});

type Summary = ReturnType<typeof summary>;
type InProcess = ReturnType<typeof inProcess>;

const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);

const localRows = (local: InProcess): [string, string][] => [
  [
    `class snapshot, ${LEARNERS} learners x ${ATTEMPTS} attempts (goal <= 5 ms)`,
    `p50 ${f(local.snapshot.p50)} ms, p95 ${f(local.snapshot.p95)} ms, fastest ${f(local.snapshot.min)} ms`,
  ],
  [
    'same class read attempt by attempt (the old way), for the ratio',
    `p50 ${f(local.everyAttempt.p50)} ms, fastest ${f(local.everyAttempt.min)} ms: ${(local.everyAttempt.p50 / local.snapshot.p50).toFixed(0)}x the snapshot`,
  ],
  [
    `grades (CSV/JSON rows), ${LEARNERS} learners (goal <= 5 ms)`,
    `p50 ${f(local.grades.p50)} ms, p95 ${f(local.grades.p95)} ms, fastest ${f(local.grades.min)} ms`,
  ],
  ['grades as CSV text', `p50 ${f(local.csv.p50)} ms, p95 ${f(local.csv.p95)} ms, fastest ${f(local.csv.min)} ms`],
];

function printTable(rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(`bench:dashboard on ${os.cpus().length} cores, load average ${load}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

function inProcess(): { snapshot: Summary; grades: Summary; csv: Summary; everyAttempt: Summary } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-bench-dash-'));
  const store = Store.open(path.join(dir, 'class.db'));
  try {
    const steps = labCatalog.get(LAB_ID)?.steps.map(({ id, title }) => ({ id, title })) ?? [];
    const { cls } = seedClass(store, { learners: LEARNERS, attemptsEach: ATTEMPTS, labId: LAB_ID, steps });
    const deps = { store, sessions: new Map<string, never>(), steps: () => steps, stuckAfterMs: 600_000 };
    const run = (work: () => unknown) => {
      for (let i = 0; i < 5; i++) work(); // warm-up: a running server is JIT-warm
      return summary(Array.from({ length: RUNS }, () => timed(work)));
    };
    return {
      snapshot: run(() => classSnapshot(deps, cls)),
      grades: run(() => classGrades(deps, cls)),
      csv: run(() => {
        const { steps: s, rows } = classGrades(deps, cls);
        return toCsv(gradeTable(s, rows));
      }),
      // The way the dashboard used to read a class, side by side under the same load: every
      // attempt of the class, filtered once per learner.
      everyAttempt: run(() => {
        const attempts = store.attempts.listByClass(cls.id);
        return store.learners.listByClass(cls.id).map((l) => attempts.filter((a) => a.learnerId === l.id).length);
      }),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timeHttp(times: number, request: () => Promise<Response>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const res = await request();
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    samples.push(performance.now() - start);
  }
  return percentile(samples, 50);
}

async function main(): Promise<void> {
  const local = inProcess();
  if (process.env.BENCH_SERVER === '0') {
    printTable(localRows(local));
    return;
  }
  const password = 'bench-instructor-password';
  const server = await spawnServer(
    { INSTRUCTOR_PASSWORD: password, BENCH_LEARNERS: String(LEARNERS), BENCH_ATTEMPTS: String(ATTEMPTS) },
    'bench/class/simulatedClassServer.ts',
  );
  const dashboards: WebSocket[] = [];
  try {
    const [, classId, apiToken] = /class (\S+) (\S+)/.exec(server.output()) ?? [];
    if (!classId || !apiToken) throw new Error('the simulated class server did not say which class it seeded');

    const cookie = await guestCookie(server.url);
    const session = (await api(server.url, `/api/labs/${LAB_ID}/sessions`, { method: 'POST', cookie }))
      .json as SessionView;
    const url = session.machines.find((m) => m.id === 'machine2')?.terminalUrl ?? '';
    const probe = TerminalClient.connect(wsUrl(server.url, url), { cookie, origin: server.url });
    await probe.opened;
    probe.hello(120, 40);
    await probe.waitFor(/\]# $/);
    await typeKeys(probe, 20, 20); // warm-up
    // How busy the server's event loop is, from its own "busy <ms>" lines: robust on a shared host.
    const busyFrom = (start: number): number => {
      const ms = [
        ...server
          .output()
          .slice(start)
          .matchAll(/^busy (\S+)$/gm),
      ].map((m) => Number(m[1]));
      return percentile(ms, 50);
    };
    let mark = server.output().length;
    const quiet = summary(await typeKeys(probe, KEYS));
    const busyQuiet = busyFrom(mark);

    const instructor = await instructorLogin(server.url, password);
    let bytes = 0;
    let messages = 0;
    let firstSnapshot = 0;
    for (let i = 0; i < DASHBOARDS; i++) {
      const ws = new WebSocket(wsUrl(server.url, `/ws/instructor/classes/${classId}`), {
        headers: { cookie: instructor.cookie },
        origin: server.url,
        perMessageDeflate: false,
      });
      ws.on('message', (data: Buffer) => {
        if (firstSnapshot === 0) firstSnapshot = data.length;
        else bytes += data.length;
        messages += 1;
      });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      dashboards.push(ws);
    }
    const windowStart = performance.now();
    const bytesAtStart = bytes;
    mark = server.output().length;
    const loaded = summary(await typeKeys(probe, KEYS));
    const busyLoaded = busyFrom(mark);
    const seconds = (performance.now() - windowStart) / 1000;
    const perDashboard = (bytes - bytesAtStart) / DASHBOARDS / seconds;

    const auth = { authorization: `Bearer ${apiToken}` };
    const csvMs = await timeHttp(5, () =>
      fetch(`${server.url}/api/instructor/classes/${classId}/grades.csv`, {
        headers: { cookie: instructor.cookie, 'x-csrf-token': instructor.csrf },
      }),
    );
    const jsonMs = await timeHttp(5, () => fetch(`${server.url}/api/classes/${classId}/grades`, { headers: auth }));
    const gradeRunMs = await timeHttp(1, () =>
      fetch(`${server.url}/api/classes/${classId}/grade-run`, { method: 'POST', headers: auth }),
    );
    probe.close();

    const rows: [string, string][] = [
      ...localRows(local),
      ['keystroke echo, no dashboard', `p50 ${f(quiet.p50)} ms, p99 ${f(quiet.p99)} ms`],
      [
        `keystroke echo, ${DASHBOARDS} dashboards open (goal p99 <= 50 ms)`,
        `p50 ${f(loaded.p50)} ms, p99 ${f(loaded.p99)} ms`,
      ],
      [
        'server event loop busy, median per second',
        `${f(busyQuiet)} ms/s without dashboards, ${f(busyLoaded)} ms/s with ${DASHBOARDS}`,
      ],
      ['first (whole) snapshot a dashboard receives', `${(firstSnapshot / 1024).toFixed(1)} KiB`],
      [
        'changes a dashboard receives',
        `${(perDashboard / 1024).toFixed(1)} KiB/s (${(messages / DASHBOARDS / seconds).toFixed(1)} messages/s, checks recorded at 20/s)`,
      ],
      ['GET grades.csv / GET grades (JSON) over HTTP', `${f(csvMs)} ms / ${f(jsonMs)} ms`],
      ['POST grade-run (npm run grade), 1 live lab in the class: none', `${f(gradeRunMs)} ms`],
    ];
    printTable(rows);

    const results = {
      at: new Date().toISOString(),
      cores: os.cpus().length,
      loadavg: os.loadavg(),
      learners: LEARNERS,
      attempts: ATTEMPTS,
      dashboards: DASHBOARDS,
      inProcessMs: local,
      keystrokeMs: { quiet, loaded },
      serverBusyMsPerSecond: { quiet: busyQuiet, loaded: busyLoaded },
      firstSnapshotBytes: firstSnapshot,
      changesBytesPerSecond: perDashboard,
      httpMs: { csv: csvMs, json: jsonMs, gradeRun: gradeRunMs },
    };
    const out = path.resolve(import.meta.dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'dashboard.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), path.join(out, 'dashboard.json'))}`);
  } finally {
    for (const ws of dashboards) ws.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:dashboard failed: ${errorMessage(error)}`);
  process.exit(1);
});
