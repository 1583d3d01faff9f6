/**
 * Probes from the client machines, sent by the host's own ping, nc and curl in the client's
 * network namespace (the learner may have replaced the client's). They send a packet or two and
 * never change anything.
 */
import { PROBE_PATTERN } from './journal';
import type { CheckContext } from './types';

export type PingOutcome = 'reply' | 'prohibited' | 'other-error' | 'timeout';

/** One echo request with a one-second wait. */
export async function probePing(ctx: CheckContext, from: string, to: string): Promise<PingOutcome> {
  const r = await ctx.netnsExec(from, ['ping', '-n', '-c', '1', '-W', '1', '-p', PROBE_PATTERN, to]);
  if (/bytes from/.test(r.stdout)) return 'reply';
  if (/Destination Host Prohibited|Bad Code: 10/i.test(r.stdout)) return 'prohibited';
  if (/^From /m.test(r.stdout)) return 'other-error';
  return 'timeout';
}

export const describePing: Record<PingOutcome, string> = {
  reply: 'got a reply',
  prohibited: 'got "Destination Host Prohibited"',
  'other-error': 'got an ICMP error',
  timeout: 'got no answer at all',
};

/** Which of `ports` accept a TCP connection from `from`, probed in parallel (≤ 1 s). */
export async function openTcpPorts(
  ctx: CheckContext,
  from: string,
  to: string,
  ports: readonly number[],
): Promise<number[]> {
  const script = `for p in ${ports.join(' ')}; do (nc -z -w 1 ${to} $p 2>/dev/null && echo $p) & done; wait`;
  const r = await ctx.netnsExec(from, ['bash', '-c', script]);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Fetches a URL; returns the body, or undefined when the connection fails. */
export async function fetchPage(ctx: CheckContext, from: string, url: string): Promise<string | undefined> {
  const r = await ctx.netnsExec(from, ['curl', '-sS', '-m', '2', url]);
  return r.exitCode === 0 ? r.stdout : undefined;
}

/** How a TCP connection attempt ended, as the client saw it. */
export type TcpOutcome = 'open' | 'refused' | 'prohibited' | 'timeout' | 'other';

export const describeTcp: Record<TcpOutcome, string> = {
  open: 'connected',
  refused: 'was refused (a TCP reset came back)',
  prohibited: 'got an ICMP error ("No route to host": an icmp-host-prohibited or unreachable reject)',
  timeout: 'got no answer at all',
  other: 'failed',
};

/** One connection attempt with the host's nc; waits `seconds` for an answer (generous: a slow host is no answer). */
export async function probeTcp(
  ctx: CheckContext,
  from: string,
  to: string,
  port: number,
  seconds = 3,
): Promise<TcpOutcome> {
  const r = await ctx.netnsExec(from, ['nc', '-vz', '-w', String(seconds), to, String(port)], {
    timeoutMs: (seconds + 2) * 1000,
  });
  const said = `${r.stdout}\n${r.stderr}`;
  if (r.exitCode === 0 && !r.timedOut) return 'open';
  if (/refused/i.test(said)) return 'refused';
  if (/no route to host|prohibited|unreachable/i.test(said)) return 'prohibited';
  if (r.timedOut || /timed out/i.test(said)) return 'timeout';
  return 'other';
}
