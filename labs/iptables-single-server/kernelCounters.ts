/**
 * A machine's protocol counters (/proc/net/snmp of its network namespace, read by the host's own
 * `cat` there). They only grow from the machine's boot, whatever the firewall does, and no
 * program a learner runs can lower or fake them, so they show whether traffic really happened.
 */
import type { CheckContext } from '../../labkit/types';

/** e.g. counters.Tcp.OutRsts, counters.Icmp.InDestUnreachs. */
export type SnmpCounters = Record<string, Record<string, number>>;

export function parseSnmp(text: string): SnmpCounters {
  const counters: SnmpCounters = {};
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [proto, ...names] = (lines[i] ?? '').trim().split(/\s+/);
    const [again, ...values] = (lines[i + 1] ?? '').trim().split(/\s+/);
    if (!proto?.endsWith(':') || proto !== again) continue;
    const group: Record<string, number> = {};
    names.forEach((name, k) => (group[name] = Number(values[k] ?? 0)));
    counters[proto.slice(0, -1)] = group;
  }
  return counters;
}

export async function snmpCounters(ctx: CheckContext, machineId: string): Promise<SnmpCounters> {
  const r = await ctx.netnsExec(machineId, ['cat', '/proc/net/snmp']);
  if (r.exitCode !== 0) throw new Error(`could not read ${machineId}'s counters: ${r.stderr.trim()}`);
  return parseSnmp(r.stdout);
}

export const counter = (c: SnmpCounters, proto: string, name: string): number => c[proto]?.[name] ?? 0;

/** TCP ports with a listening socket in the machine's namespace (/proc/net/tcp, state 0A). */
export async function listeningPorts(ctx: CheckContext, machineId: string): Promise<number[]> {
  const r = await ctx.netnsExec(machineId, ['cat', '/proc/net/tcp', '/proc/net/tcp6']);
  const ports = r.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[3] === '0A')
    .map((f) => parseInt(f[1]?.split(':').pop() ?? '', 16));
  return [...new Set(ports.filter(Number.isInteger))].sort((a, b) => a - b);
}
