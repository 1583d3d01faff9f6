/**
 * The pings a learner watched, from either client. The chapter only says "another machine", so a
 * ping from office-pc counts as much as one from Machine 2 (see README, the grading policy).
 */
import { pingEvidence, realPings, type PingEvidence } from '../../labkit/pingEvidence';
import { pingLines } from '../../labkit/pingRun';
import { counter, snmpCounters } from './kernelCounters';
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

/**
 * What a ping run claims its machine's kernel did (echo requests sent, replies and errors
 * received), against the counters, which only grow from boot. A fake `ping` prints lines the
 * kernel never saw. Undefined when the kernel saw at least that much, else why not.
 */
export async function pingRunMismatch(
  ctx: CheckContext,
  run: CommandRun,
  machineId: string,
  where: string,
): Promise<string | undefined> {
  const lines = pingLines(run.output);
  const requests = Math.max(0, ...lines.map((l) => l.seq));
  const replies = lines.filter((l) => l.kind === 'reply').length;
  const errors = lines.length - replies;
  const c = await snmpCounters(ctx, machineId);
  const sent = counter(c, 'Icmp', 'OutEchos');
  const gotReplies = counter(c, 'Icmp', 'InEchoReps');
  const gotErrors = counter(c, 'Icmp', 'InDestUnreachs');
  if (sent >= requests && gotReplies >= replies && gotErrors >= errors) return undefined;
  const what =
    sent < requests
      ? `sent only ${sent} echo requests`
      : gotReplies < replies
        ? `received only ${gotReplies} echo replies`
        : `received only ${gotErrors} "unreachable" errors`;
  return `${where}'s ping output shows icmp_seq up to ${requests}, with ${replies} replies and ${errors} errors, but ${where}'s kernel has ${what} since it started: that output did not come from a real ping. Run \`ping\` itself.`;
}

/** Step 4's evidence from the first client whose transcript and kernel agree; otherwise the most useful reason. */
export async function watchedTransition(ctx: CheckContext): Promise<Watched & { mismatch?: string }> {
  const results: (Watched & { mismatch?: string })[] = [];
  for (const w of WATCHERS) {
    const evidence = pingEvidence(commandRuns(ctx.terminals.transcript(w.id)), targets(ctx));
    const mismatch = evidence.found ? await pingRunMismatch(ctx, evidence.run, w.id, w.label) : undefined;
    const watched = { evidence, where: w.label, machineId: w.id, mismatch };
    if (evidence.found && !mismatch) return watched;
    results.push(watched);
  }
  const [m2, pc] = results as [Watched & { mismatch?: string }, Watched & { mismatch?: string }];
  const withEvidence = results.find((r) => r.evidence.found);
  if (withEvidence) return withEvidence;
  // No evidence anywhere: explain the client where the learner at least tried.
  const tried = (w: Watched): boolean =>
    'reason' in w.evidence && w.evidence.reason !== 'no-ping' && w.evidence.reason !== 'printed-by-other-command';
  return !tried(m2) && tried(pc) ? pc : m2;
}

/** The latest real ping to Machine 1 that got replies, from either client, with how many it got. */
export function watchedReplies(
  ctx: CheckContext,
): { run: CommandRun; replies: number; where: string; machineId: string } | undefined {
  for (const w of WATCHERS) {
    const runs = realPings(commandRuns(ctx.terminals.transcript(w.id)), targets(ctx));
    const last = runs[runs.length - 1];
    if (!last) continue;
    const lines = pingLines(last.output);
    const replies = lines.filter((l) => l.kind === 'reply').length;
    if (replies > 0 && lines[lines.length - 1]?.kind === 'reply')
      return { run: last, replies, where: w.label, machineId: w.id };
  }
  return undefined;
}
