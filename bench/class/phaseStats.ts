/**
 * The server's "check phases" lines (LOG_LEVEL=debug, server/grading/checkPhases.ts): where each
 * check's time went, from the finished command to the verdict handed to the event sockets.
 */
import type { CheckPhases } from '../../server/grading/checkPhases';
import { PHASES_PREFIX } from '../../server/grading/checkPhases';
import { percentile } from '../stats';

export interface PhaseLine extends CheckPhases {
  /** When the server logged it (epoch ms). */
  loggedAt: number;
}

export function phaseLines(serverOutput: string): PhaseLine[] {
  const out: PhaseLine[] = [];
  for (const line of serverOutput.split('\n')) {
    if (!line.includes(PHASES_PREFIX)) continue;
    try {
      const entry = JSON.parse(line) as { msg: string; time: string };
      const phases = JSON.parse(entry.msg.slice(PHASES_PREFIX.length)) as CheckPhases;
      out.push({ ...phases, loggedAt: Date.parse(entry.time) });
    } catch {
      // A line cut by the pipe: left out.
    }
  }
  return out;
}

export interface PhaseSummary {
  checks: number;
  /** p50 and p95 of the whole (finished command → verdict handed over), and p95 of each phase. */
  totalP50: number;
  totalP95: number;
  p95: Record<'settle' | 'queue' | 'checker' | 'store' | 'push', number>;
  waitingAheadMax: number;
}

const total = (p: CheckPhases): number => p.settle + p.queue + p.checker + p.store + p.push;

/** Auto-checks logged between `from` and `to` (epoch ms). */
export function summarize(lines: PhaseLine[], from: number, to: number): PhaseSummary {
  const window = lines.filter((l) => l.trigger === 'auto' && l.loggedAt >= from && l.loggedAt <= to);
  const of = (pick: (p: CheckPhases) => number): number => percentile(window.map(pick), 95);
  return {
    checks: window.length,
    totalP50: percentile(window.map(total), 50),
    totalP95: of(total),
    p95: {
      settle: of((p) => p.settle),
      queue: of((p) => p.queue),
      checker: of((p) => p.checker),
      store: of((p) => p.store),
      push: of((p) => p.push),
    },
    waitingAheadMax: Math.max(0, ...window.map((p) => p.waitingAhead)),
  };
}

export function describe(s: PhaseSummary): string {
  const p = s.p95;
  return `server, all ${s.checks} auto-checks: p50 ${s.totalP50.toFixed(0)} p95 ${s.totalP95.toFixed(0)} ms (p95 settle ${p.settle.toFixed(0)}, queue ${p.queue.toFixed(0)}, checker ${p.checker.toFixed(0)}, store ${p.store.toFixed(0)}, push ${p.push.toFixed(0)}; at most ${s.waitingAheadMax} waiting)`;
}
