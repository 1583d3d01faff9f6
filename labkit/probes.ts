/**
 * Probes from the client machines, sent by the host's own ping and nc in the client's network
 * namespace (the learner may have replaced the client's). They send a packet or two and never
 * change anything.
 *
 * A busy host can be slow to answer, and Machine 1's kernel rate-limits its ICMP errors (a
 * learner's fast ping uses them up). So silence where an answer is expected is never read as
 * the answer: it is retried with a longer wait and a pause, and if the budget runs out the
 * result is 'unknown', which a checker must report as "could not test", never as the learner's
 * error. Checkers decide from the rule model where it answers and probe only where it cannot.
 */
import { PROBE_PATTERN } from './journal';
import type { CheckContext } from './types';

/** Where a probe goes: sent from a machine's network namespace to an address. */
export interface ProbeRoute {
  /** The machine whose network namespace sends the probe. */
  from: string;
  /** The address probed. */
  to: string;
}

/** How long all attempts of one probe may take together. The grading engine stops a check at 8 s. */
export const PROBE_BUDGET_MS = 5_000;
/** Wait for an answer per attempt (s) and the pause after it (ms), until the budget ends. */
const ATTEMPTS: readonly { waitS: number; pauseMs: number }[] = [
  { waitS: 2, pauseMs: 300 },
  { waitS: 3, pauseMs: 800 },
  { waitS: 3, pauseMs: 1_000 },
];

export type PingOutcome = 'reply' | 'prohibited' | 'other-error' | 'timeout';

export const describePing: Record<PingOutcome | 'unknown', string> = {
  reply: 'got a reply',
  prohibited: 'got "Destination Host Prohibited"',
  'other-error': 'got an ICMP error',
  timeout: 'got no answer at all',
  unknown: 'could not be tested just now',
};

/** Runs attempts with growing waits until `settled` says an answer is final or the budget ends. */
async function withRetries<T>(
  attempt: (waitS: number) => Promise<T>,
  settled: (answer: T) => boolean,
  budgetMs: number,
): Promise<{ answer: T; final: boolean }> {
  const deadline = Date.now() + budgetMs;
  let answer: T | undefined;
  for (const { waitS, pauseMs } of ATTEMPTS) {
    const left = deadline - Date.now();
    if (answer !== undefined && left < 1_000) break;
    answer = await attempt(Math.max(1, Math.min(waitS, Math.floor(left / 1_000))));
    if (settled(answer)) return { answer, final: true };
    if (deadline - Date.now() <= pauseMs + 1_000) break;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return { answer: answer as T, final: false };
}

async function pingOnce(ctx: CheckContext, { from, to }: ProbeRoute, waitS: number): Promise<PingOutcome> {
  const r = await ctx.netnsExec(from, ['ping', '-n', '-c', '1', '-W', String(waitS), '-p', PROBE_PATTERN, to], {
    timeoutMs: waitS * 1_000 + 3_000,
  });
  if (/bytes from/.test(r.stdout)) return 'reply';
  if (/Destination Host Prohibited|Bad Code: 10/i.test(r.stdout)) return 'prohibited';
  if (/^From /m.test(r.stdout)) return 'other-error';
  return 'timeout';
}

/**
 * One echo request, repeated while the answer is silence but `expected` is an answer (a reply,
 * or an ICMP error Machine 1 may be holding back). 'unknown' when silence lasted the budget.
 */
export async function probePing(
  ctx: CheckContext,
  { expected, budgetMs = PROBE_BUDGET_MS, ...route }: ProbeRoute & { expected: PingOutcome; budgetMs?: number },
): Promise<PingOutcome | 'unknown'> {
  const { answer, final } = await withRetries(
    (waitS) => pingOnce(ctx, route, waitS),
    (a) => a !== 'timeout' || expected === 'timeout',
    budgetMs,
  );
  return final ? answer : 'unknown';
}

/**
 * What a TCP connection attempt met: accepted ('open'), a reset ('refused'), an ICMP error such
 * as host-prohibited ('rejected'), or nothing before the wait ran out ('no-answer', e.g. a DROP).
 */
export type PortOutcome = 'open' | 'refused' | 'rejected' | 'no-answer';

function portOutcome(line: string | undefined): PortOutcome {
  if (line === undefined) return 'no-answer';
  if (/succeeded|open$/.test(line)) return 'open';
  if (/Connection refused/.test(line)) return 'refused';
  if (/No route to host|unreachable|Permission denied|prohibited/i.test(line)) return 'rejected';
  return 'no-answer';
}

async function tcpOnce(
  ctx: CheckContext,
  { from, to }: ProbeRoute,
  ports: readonly number[],
  waitS: number,
): Promise<Map<number, PortOutcome>> {
  // One nc per port, side by side; each prints one line, which the shell tags with the port.
  const script = `for p in ${ports.join(' ')}; do (nc -vz -w ${waitS} ${to} $p 2>&1 | head -n 1 | sed "s/^/$p /") & done; wait`;
  const r = await ctx.netnsExec(from, ['bash', '-c', script], { timeoutMs: waitS * 1_000 + 3_000 });
  const lines = new Map<number, string>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\d+) (.*)$/.exec(line);
    if (m) lines.set(Number(m[1]), m[2] ?? '');
  }
  return new Map(ports.map((p) => [p, portOutcome(lines.get(p))]));
}

/**
 * Tries a TCP connection to each port. Ports that got no answer are tried again, with longer
 * waits, while the budget lasts; a port that never answered is 'unknown' if `expectOpen` has it
 * (it may be open but slow) and 'no-answer' otherwise (dropped, as far as a client can tell).
 */
export async function probePorts(
  ctx: CheckContext,
  {
    ports,
    expectOpen = [],
    budgetMs = PROBE_BUDGET_MS,
    ...route
  }: ProbeRoute & { ports: readonly number[]; expectOpen?: readonly number[]; budgetMs?: number },
): Promise<Map<number, PortOutcome | 'unknown'>> {
  const outcomes = new Map<number, PortOutcome | 'unknown'>();
  let pending = [...ports];
  const { final } = await withRetries(
    async (waitS) => {
      const round = await tcpOnce(ctx, route, pending, waitS);
      for (const [port, outcome] of round) outcomes.set(port, outcome);
      pending = pending.filter((p) => round.get(p) === 'no-answer' && expectOpen.includes(p));
      return pending.length;
    },
    (left) => left === 0,
    budgetMs,
  );
  if (!final) for (const p of pending) outcomes.set(p, 'unknown');
  return outcomes;
}

/** The message for a probe that could not be answered: never the learner's fault. */
export const couldNotTest = (what: string): string =>
  `I could not test ${what} just now: the host is busy, or Machine 1 is holding back its answers for a moment ` +
  '(it limits how many ICMP errors it sends, and a fast ping of your own uses them up). Nothing is wrong with your work so far; press Check again in a few seconds.';

export const describePort: Record<PortOutcome | 'unknown', string> = {
  open: 'connected',
  refused: 'was refused (a TCP reset came back)',
  rejected: 'got an ICMP error ("No route to host": an icmp-host-prohibited or unreachable reject)',
  'no-answer': 'got no answer at all',
  unknown: 'could not be tested just now',
};

/** One port of `probePorts`: `expectAnswer` when silence may only mean a slow host. */
export async function probePort(
  ctx: CheckContext,
  { port, expectAnswer = true, ...route }: ProbeRoute & { port: number; expectAnswer?: boolean },
): Promise<PortOutcome | 'unknown'> {
  const outcomes = await probePorts(ctx, { ...route, ports: [port], expectOpen: expectAnswer ? [port] : [] });
  return outcomes.get(port) ?? 'unknown';
}

/**
 * What a client met that waits for the server to speak first (ssh, smtp, pop3): a greeting
 * line, a connection accepted and closed without one (a TCP wrapper's refusal), or a refusal
 * before any daemon saw it (as probePorts names them).
 */
export type GreetingOutcome = { kind: 'greeted'; line: string } | { kind: 'closed' | 'silent' | PortOutcome };

async function greetingOnce(
  ctx: CheckContext,
  { from, to, port }: ProbeRoute & { port: number },
  waitS: number,
): Promise<GreetingOutcome> {
  // The host's bash connects (its /dev/tcp) and reads one line: nothing inside the machine runs.
  const script = `exec 3<>/dev/tcp/${to}/${port} || exit 9
IFS= read -r -t ${waitS} line <&3; rc=$?
if [ -n "$line" ]; then printf 'greeted %s\\n' "$line"; elif [ $rc -gt 128 ]; then echo silent; else echo closed; fi`;
  const r = await ctx.netnsExec(from, ['timeout', String(waitS + 1), 'bash', '-c', script], {
    timeoutMs: waitS * 1_000 + 3_000,
  });
  const said = r.stdout.trim();
  if (said.startsWith('greeted ')) return { kind: 'greeted', line: said.slice('greeted '.length) };
  if (said === 'closed' || said === 'silent') return { kind: said };
  if (/refused/i.test(r.stderr)) return { kind: 'refused' };
  if (/no route to host|unreachable|prohibited/i.test(r.stderr)) return { kind: 'rejected' };
  return { kind: 'no-answer' };
}

/**
 * Connects and waits for the server's first line; silence is retried, and 'unknown' if it lasted
 * the budget. With `waitS`, one attempt that waits that long, answered as it ended ('silent'
 * included): a TCP wrapper's refusal keeps the connection open and silent for about 5 s (libwrap
 * sleeps before the daemon exits), then closes it, so silence is itself an answer there.
 */
export async function probeGreeting(
  ctx: CheckContext,
  {
    budgetMs = PROBE_BUDGET_MS,
    waitS: onlyWaitS,
    ...target
  }: ProbeRoute & { port: number; budgetMs?: number; waitS?: number },
): Promise<GreetingOutcome | { kind: 'unknown' }> {
  const settled = (a: GreetingOutcome): boolean => a.kind !== 'silent' && a.kind !== 'no-answer';
  if (onlyWaitS !== undefined) {
    const answer = await greetingOnce(ctx, target, onlyWaitS);
    return answer.kind === 'no-answer' ? { kind: 'unknown' } : answer;
  }
  const { answer, final } = await withRetries((waitS) => greetingOnce(ctx, target, waitS), settled, budgetMs);
  return final ? answer : { kind: 'unknown' };
}
