/**
 * Did the learner watch their own ping go from replies to ICMP errors? Looks only at output of
 * commands whose command line really was `ping <target>`, as bash reported it.
 */
import { pingLines, replyToErrorTransition, type PingTransition } from './pingRun';
import { programOf, shadowing, type CommandRun } from './transcript';

export type PingEvidence =
  | { found: true; run: CommandRun; transition: PingTransition }
  | {
      found: false;
      reason:
        | 'no-ping'
        | 'only-replies'
        | 'only-errors'
        | 'separate-runs'
        | 'not-consecutive'
        | 'printed-by-other-command'
        | 'shadowed';
    };

/** True when the command line is a ping aimed at one of `targets` (addresses or host names). */
export function isPingTo(commandLine: string | undefined, targets: readonly string[]): boolean {
  if (programOf(commandLine) !== 'ping') return false;
  const words = (commandLine ?? '').trim().split(/\s+/);
  return words.some((w) => targets.includes(w));
}

/** Runs that really were ping to one of `targets`: bash ran them, and `ping` was no shell function or alias. */
export function realPings(runs: readonly CommandRun[], targets: readonly string[]): CommandRun[] {
  return runs.filter((r) => !r.forgedMarkers && isPingTo(r.commandLine, targets) && !shadowing(r, 'ping'));
}

export function pingEvidence(runs: readonly CommandRun[], targets: readonly string[]): PingEvidence {
  const pings = realPings(runs, targets);
  for (const run of [...pings].reverse()) {
    const transition = replyToErrorTransition(pingLines(run.output));
    if (transition) return { found: true, run, transition };
  }
  if (pings.length === 0) {
    if (runs.some((r) => isPingTo(r.commandLine, targets) && shadowing(r, 'ping')))
      return { found: false, reason: 'shadowed' };
    const mimicked = runs.some((r) => pingLines(r.output).some((l) => l.kind === 'error'));
    return { found: false, reason: mimicked ? 'printed-by-other-command' : 'no-ping' };
  }
  const kinds = pings.map((r) => new Set(pingLines(r.output).map((l) => l.kind)));
  if (kinds.some((k) => k.has('reply') && k.has('error'))) return { found: false, reason: 'not-consecutive' };
  const replies = kinds.some((k) => k.has('reply'));
  const errors = kinds.some((k) => k.has('error'));
  if (replies && errors) return { found: false, reason: 'separate-runs' };
  return { found: false, reason: errors ? 'only-errors' : 'only-replies' };
}
