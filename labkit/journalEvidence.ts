/**
 * Questions checkers ask of the journal's packets: what answered a ping, what a port scan found.
 * Packets are named by the machine whose bridge port they entered by (`from`), so a client
 * forging another machine's address is never taken for that machine.
 */
import type { JournalPacket } from './journal';

const HOST_PROHIBITED = 10;

export interface EchoExchange {
  from: string;
  id: number;
  seq: number;
  at: number;
  answer?: { kind: 'reply' | 'prohibited' | 'error'; code: number; at: number };
}

/** The learner's echo requests (checkers' probes left out) from `clients` to the `target` machine, with what answered each. */
export function echoExchanges(
  packets: readonly JournalPacket[],
  clients: readonly string[],
  target: string,
): EchoExchange[] {
  const exchanges = new Map<string, EchoExchange>();
  const key = (addr: string, id: number, seq: number): string => `${addr}/${id}/${seq}`;
  const sources = new Map<string, string>();
  for (const p of packets) {
    const icmp = p.icmp;
    if (!icmp || p.from === undefined) continue;
    if (icmp.type === 8 && clients.includes(p.from) && !icmp.probe && icmp.id !== undefined && icmp.seq !== undefined) {
      exchanges.set(key(p.src, icmp.id, icmp.seq), { from: p.from, id: icmp.id, seq: icmp.seq, at: p.at });
      sources.set(p.src, p.from);
      continue;
    }
    if (p.from !== target) continue;
    if (icmp.type === 0 && icmp.id !== undefined && icmp.seq !== undefined) {
      const e = exchanges.get(key(p.dst, icmp.id, icmp.seq));
      if (e && !e.answer) e.answer = { kind: 'reply', code: 0, at: p.at };
    }
    const inner = icmp.inner;
    if (icmp.type === 3 && inner?.proto === 'icmp' && inner.id !== undefined && inner.seq !== undefined) {
      const e = exchanges.get(key(inner.src, inner.id, inner.seq));
      if (e && !e.answer)
        e.answer = { kind: icmp.code === HOST_PROHIBITED ? 'prohibited' : 'error', code: icmp.code, at: p.at };
    }
  }
  return [...exchanges.values()].sort((a, b) => a.at - b.at);
}

export interface PingTurn {
  from: string;
  id: number;
  lastReply: EchoExchange;
  firstProhibited: EchoExchange;
  prohibited: number;
  replies: number;
}

/** The latest ping (one ICMP id) that got replies and then, from the next answered request on, "host prohibited". */
export function replyToProhibited(exchanges: readonly EchoExchange[]): PingTurn | undefined {
  const runs = new Map<string, EchoExchange[]>();
  for (const e of exchanges) {
    const k = `${e.from}/${e.id}`;
    runs.set(k, [...(runs.get(k) ?? []), e]);
  }
  let found: PingTurn | undefined;
  for (const run of runs.values()) {
    const answered = run.filter((e) => e.answer).sort((a, b) => a.seq - b.seq);
    for (let i = 0; i + 1 < answered.length; i++) {
      const a = answered[i];
      const b = answered[i + 1];
      if (a?.answer?.kind !== 'reply' || b?.answer?.kind !== 'prohibited') continue;
      const turn: PingTurn = {
        from: a.from,
        id: a.id,
        lastReply: a,
        firstProhibited: b,
        replies: answered.slice(0, i + 1).filter((e) => e.answer?.kind === 'reply').length,
        prohibited: answered.slice(i + 1).filter((e) => e.answer?.kind === 'prohibited').length,
      };
      if (!found || turn.firstProhibited.at > found.firstProhibited.at) found = turn;
    }
  }
  return found;
}

export interface ScanSeen {
  from: string;
  startedAt: number;
  endedAt: number;
  /** Ports the scanner sent a SYN to. */
  probed: Set<number>;
  /** Answered with SYN-ACK (open), RST (closed), an ICMP error (rejected); the rest got nothing. */
  open: Set<number>;
  closed: Set<number>;
  rejected: Set<number>;
}

/** SYNs further apart than this belong to different scans. */
const SCAN_GAP_MS = 30_000;

/** Who scans whom: machine ids, and the target machine's addresses on every network. */
export interface ScanPath {
  scanner: string;
  target: string;
  targetAddrs: readonly string[];
}

/**
 * The last TCP scan `scanner` made of `targetAddrs` before `before`: a run of SYNs with no pause
 * over SCAN_GAP_MS, and what the target machine answered.
 */
export function lastScan(
  packets: readonly JournalPacket[],
  { scanner, target, targetAddrs }: ScanPath,
  before = Number.POSITIVE_INFINITY,
): ScanSeen | undefined {
  const syns = packets.filter(
    (p) => p.from === scanner && p.tcp?.flags === 'SYN' && targetAddrs.includes(p.dst) && p.at <= before,
  );
  const last = syns[syns.length - 1];
  if (!last) return undefined;
  let start = syns.length - 1;
  while (start > 0 && (syns[start]?.at ?? 0) - (syns[start - 1]?.at ?? 0) <= SCAN_GAP_MS) start--;
  const burst = syns.slice(start);
  const startedAt = burst[0]?.at ?? last.at;
  const scan: ScanSeen = {
    from: scanner,
    startedAt,
    endedAt: last.at,
    probed: new Set(burst.map((p) => p.tcp?.dport ?? 0)),
    open: new Set(),
    closed: new Set(),
    rejected: new Set(),
  };
  const scannerAddrs = new Set(burst.map((p) => p.src));
  for (const p of packets) {
    if (p.from !== target || p.at < startedAt || p.at > last.at + SCAN_GAP_MS) continue;
    if (p.tcp && scannerAddrs.has(p.dst) && scan.probed.has(p.tcp.sport)) {
      if (p.tcp.flags === 'SYN-ACK') scan.open.add(p.tcp.sport);
      else scan.closed.add(p.tcp.sport);
    }
    const inner = p.icmp?.inner;
    if (p.icmp?.type === 3 && inner?.proto === 'tcp' && inner.dport !== undefined && scannerAddrs.has(inner.src))
      scan.rejected.add(inner.dport);
  }
  for (const port of scan.open) scan.closed.delete(port);
  return scan;
}

/** "14:03:07" in the server's time zone, for messages that cite the journal. */
export const clock = (at: number): string => new Date(at).toTimeString().slice(0, 8);
