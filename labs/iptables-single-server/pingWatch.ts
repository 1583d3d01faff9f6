/**
 * The pings a learner watched, from either client. The chapter only says "another machine", so a
 * ping from office-pc counts as much as one from Machine 2 (see README, the grading policy).
 */
import { pingEvidence, realPings, type PingEvidence } from '../../labkit/pingEvidence';
import { pingLines } from '../../labkit/pingRun';
import { commandRuns, type CommandRun } from '../../labkit/transcript';
import type { CheckContext } from '../../labkit/types';
import { addrs } from './machines';

export const WATCHERS = [
  { id: 'machine2', label: 'Machine 2' },
  { id: 'office-pc', label: 'office-pc' },
] as const;

const targets = (ctx: CheckContext): string[] => {
  const a = addrs(ctx.view);
  return [a.m1, a.m1Office, 'machine1'];
};

/** Step 4's evidence from whichever client shows it; otherwise Machine 2's reason (the one the instructions use). */
export interface Watched {
  evidence: PingEvidence;
  where: string;
  machineId: string;
}

export function watchedTransition(ctx: CheckContext): Watched {
  const results: Watched[] = WATCHERS.map((w) => ({ evidence: pingEvidence(commandRuns(ctx.terminals.transcript(w.id)), targets(ctx)), where: w.label, machineId: w.id }));
  const found = results.find((r) => r.evidence.found);
  const pc = results[1];
  if (!found && pc && pc.evidence.found === false && pc.evidence.reason !== 'no-ping' && pc.evidence.reason !== 'printed-by-other-command') {
    const m2 = results[0];
    if (m2 && m2.evidence.found === false && (m2.evidence.reason === 'no-ping' || m2.evidence.reason === 'printed-by-other-command')) return pc;
  }
  return found ?? (results[0] as Watched);
}

/** The latest real ping to Machine 1 that got replies, from either client, with how many it got. */
export function watchedReplies(ctx: CheckContext): { run: CommandRun; replies: number; where: string; machineId: string } | undefined {
  for (const w of WATCHERS) {
    const runs = realPings(commandRuns(ctx.terminals.transcript(w.id)), targets(ctx));
    const last = runs[runs.length - 1];
    if (!last) continue;
    const lines = pingLines(last.output);
    const replies = lines.filter((l) => l.kind === 'reply').length;
    if (replies > 0 && lines[lines.length - 1]?.kind === 'reply') return { run: last, replies, where: w.label, machineId: w.id };
  }
  return undefined;
}
