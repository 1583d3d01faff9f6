/**
 * npm run bench:journal — what the lab journal costs per lab: its one packet tap (an nftables
 * bridge table and one tcpdump for all labs), its work in the server's process (parsing packets,
 * reading rulesets and files from the host, writing rows), and the rows it keeps.
 *
 * At each level of BENCH_LEVELS ("1,50"): that many real labs of the first lab, each with a busy
 * learner simulated inside it (Machine 2 pings Machine 1 five times a second and scans 200 ports
 * every ~15 s; Machine 1's rules change every 15 s). First a window with the journal running but
 * following no lab (the baseline: the same traffic, nothing recorded), then a window following
 * every lab. The difference is the journal's cost. Prints a table; writes bench/results/journal.json.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { singleServerLab } from '../labs/iptables-single-server';
import { standaloneJournal } from '../server/journal/standaloneJournal';
import { CAPS } from '../server/journal/JournalRepo';
import type { LabDeployment } from '../server/runtime/LabRuntime';
import { address, newSessionId, sh, testRuntime } from '../test/support/labRuntime';
import { processCpuSeconds, processRssBytes } from './class/containerCost';

const LEVELS = (process.env.BENCH_LEVELS ?? '1,50')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 60);
const START_AT_ONCE = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Window {
  seconds: number;
  events: number;
  /** CPU seconds of this process, its waited children and its running helpers. */
  cpuSeconds: number;
}

interface Level {
  labs: number;
  eventsPerSecond: number;
  eventsPerSecondPerLab: number;
  cpuSharePerLab: number;
  /** RSS of the journal's host processes, and how many there are. */
  helperRssMb: number;
  helpers: number;
  heapMbPerLab: number;
  dbMbPerLabHour: number;
  /** The most a lab session's rows can take: every kind at its cap, at this run's bytes per event. */
  dbMbPerLabAtCaps: number;
  loadavg: number;
}

const { runtime, namespace } = testRuntime('jbench');

/** This process with its waited children (the nft and nsenter runs that read the host). */
const selfCpuSeconds = () => processCpuSeconds(process.pid);

/**
 * The journal's host processes: everything this process started and still runs (the tap's
 * tcpdump, the owning `nft -i`, one `nft monitor` per followed machine, reads in progress).
 */
function helperPids(): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const ours = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parentOf)
      if (ours.has(parent) && !ours.has(pid)) {
        ours.add(pid);
        found.push(pid);
        grew = true;
      }
  }
  return found;
}

const helpersCpuSeconds = () => helperPids().reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
const helpersRssBytes = () => helperPids().reduce((sum, pid) => sum + processRssBytes(pid), 0);

async function measure(db: Database.Database, seconds: number): Promise<Window> {
  const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM journal_events').get() as { n: number }).n;
  const cpu0 = selfCpuSeconds() + helpersCpuSeconds();
  const events0 = rows();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  return {
    seconds: (performance.now() - t0) / 1000,
    events: rows() - events0,
    cpuSeconds: selfCpuSeconds() + helpersCpuSeconds() - cpu0,
  };
}

/** A busy learner inside the lab, running on its own: the bench's process does nothing meanwhile. */
async function busyLearner(deployment: LabDeployment): Promise<void> {
  const target = address(deployment, 'machine1', 'lan');
  const loop = `while :; do ping -q -c 50 -i 0.2 ${target}; nmap -sS -T4 -p 1-200 ${target}; done`;
  await sh(runtime, deployment, 'machine2', `setsid nohup bash -c '${loop}' >/dev/null 2>&1 &`);
  const rules =
    'while :; do iptables -I INPUT -p tcp --dport 9 -j ACCEPT; sleep 15; iptables -D INPUT -p tcp --dport 9 -j ACCEPT; sleep 15; done';
  await sh(runtime, deployment, 'machine1', `setsid nohup bash -c '${rules}' >/dev/null 2>&1 &`);
}

/** A lab started for the bench; a start that fails on a loaded host is retried with a fresh id. */
async function startLab(tries = 3): Promise<{ id: string; deployment: LabDeployment }> {
  const id = newSessionId();
  try {
    return { id, deployment: await runtime.create(id, singleServerLab.topology) };
  } catch (error) {
    await runtime.destroy(id).catch(() => undefined);
    if (tries <= 1) throw error;
    process.stdout.write(`  a start failed (${String(error)}); trying again\n`);
    return startLab(tries - 1);
  }
}

async function runLevel(labs: number): Promise<Level> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-jbench-'));
  const dbFile = path.join(dir, 'journal.db');
  const kept = await standaloneJournal(runtime, singleServerLab, namespace, { dbFile });
  const db = new Database(dbFile, { readonly: true });
  const deployments: { id: string; deployment: LabDeployment }[] = [];
  try {
    for (let i = 0; i < labs; i += START_AT_ONCE) {
      const batch = Array.from({ length: Math.min(START_AT_ONCE, labs - i) }, async () => {
        const { id, deployment } = await startLab();
        deployments.push({ id, deployment });
        await busyLearner(deployment);
      });
      await Promise.all(batch);
    }
    process.stdout.write(`  ${labs} labs running, busy; baseline window of ${WINDOW_S} s (journal following none)\n`);
    const heap0 = process.memoryUsage().heapUsed;
    const baseline = await measure(db, WINDOW_S);
    for (const { id, deployment } of deployments) await kept.journal.track(id, deployment);
    await sleep(5_000);
    process.stdout.write(`  following all ${labs}; window of ${WINDOW_S} s\n`);
    const lastId0 = lastRowId(db);
    const followed = await measure(db, WINDOW_S);
    const heapMb = Math.max(0, process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    const dbMb = rowBytesSince(db, lastId0) / 2 ** 20;
    const cpuShare = followed.cpuSeconds / followed.seconds - baseline.cpuSeconds / baseline.seconds;
    return {
      labs,
      eventsPerSecond: followed.events / followed.seconds,
      eventsPerSecondPerLab: followed.events / followed.seconds / labs,
      cpuSharePerLab: cpuShare / labs,
      helperRssMb: helpersRssBytes() / 2 ** 20,
      helpers: helperPids().length,
      heapMbPerLab: heapMb / labs,
      dbMbPerLabHour: (dbMb / labs) * (3600 / followed.seconds),
      dbMbPerLabAtCaps:
        followed.events > 0 ? (dbMb / followed.events) * Object.values(CAPS).reduce((a, b) => a + b, 0) : 0,
      loadavg: os.loadavg()[0] ?? 0,
    };
  } finally {
    db.close();
    await kept.close();
    await Promise.all(deployments.map(({ id }) => runtime.destroy(id).catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  }
}

const lastRowId = (db: Database.Database): number =>
  (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM journal_events').get() as { id: number }).id;

/** What the rows written since `id` take: their stored text, plus SQLite's per-row and index overhead (about 40 bytes). */
const rowBytesSince = (db: Database.Database, id: number): number =>
  (
    db
      .prepare(
        'SELECT COALESCE(SUM(LENGTH(data_json) + LENGTH(session_id) + LENGTH(kind) + 40), 0) AS n FROM journal_events WHERE id > ?',
      )
      .get(id) as { n: number }
  ).n;

async function main(): Promise<void> {
  process.stdout.write(
    `bench:journal on ${os.cpus().length} cores, levels ${LEVELS.join(', ')}, windows of ${WINDOW_S} s\n`,
  );
  await runtime.prepareHost();
  const results: Level[] = [];
  for (const labs of LEVELS) results.push(await runLevel(labs));
  process.stdout.write(
    '\n labs | events/s | events/s/lab | CPU per lab (% of a core) | host helpers (RSS MB) | heap MB/lab | DB MB/lab-hour | DB MB/lab at caps | load\n',
  );
  for (const r of results)
    process.stdout.write(
      ` ${String(r.labs).padStart(4)} | ${r.eventsPerSecond.toFixed(0).padStart(8)} | ${r.eventsPerSecondPerLab.toFixed(1).padStart(12)} | ${(r.cpuSharePerLab * 100).toFixed(2).padStart(25)} | ${`${r.helpers} (${r.helperRssMb.toFixed(1)})`.padStart(21)} | ${r.heapMbPerLab.toFixed(2).padStart(11)} | ${r.dbMbPerLabHour.toFixed(1).padStart(14)} | ${r.dbMbPerLabAtCaps.toFixed(1).padStart(17)} | ${r.loadavg.toFixed(1)}\n`,
    );
  const out = path.resolve(import.meta.dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'journal.json'), JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
  await runtime.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
