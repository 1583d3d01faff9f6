/**
 * Did a connection already open when ssh was cut carry data into Machine 1 before ssh came back?
 * Judged from the journal's connection lists of Machine 1 (the host's `ss`, the kernel's
 * byte counts), read when each rule change began: the read at the cut, any during it, and the
 * first at or after the return. Pure: lists in, a finding out.
 */
import type { JournalCheck, JournalConnection, JournalConnectionList } from '../../labkit/journal';

export type Carried =
  /** The host has no connection list of Machine 1 for the cut or the return, or one too long to count. */
  | { kind: 'unlisted'; when: 'cut' | 'return'; at: number; more: number }
  /**
   * This connection received data from its peer during the cut (`bytes` when two reads counted
   * them); its last data came at `at` or just before.
   */
  | { kind: 'received'; connection: JournalConnection; bytes: number | undefined; at: number }
  /** This connection, open during the cut, was gone at the return: what it carried before closing is unknown. */
  | { kind: 'closed'; connection: JournalConnection; seenAt: number };

export interface CutWindow {
  cutAt: number;
  backAt: number;
  /** Machine 1's connection lists, oldest first. */
  lists: readonly JournalConnectionList[];
  /** The checks: a connection seen only while one ran is its own probe. */
  checks: readonly JournalCheck[];
  /** Connections whose every packet in the cut was refused (they cannot have carried data in it). */
  excused: (c: JournalConnection) => boolean;
}

/** How long a check may run (the grading engine's limit), for checks recorded without a start. */
const CHECK_MS = 8_000;

/**
 * States in which the peer may still send data (it has not sent its FIN): a connection gone from
 * them may have carried data first. From CLOSE-WAIT, LAST-ACK or CLOSING nothing more can come in.
 */
const OPEN_TO_DATA = new Set(['ESTAB', 'FIN-WAIT-1', 'FIN-WAIT-2']);

const keyOf = (c: JournalConnection): string => `${c.local} ${c.localPort} ${c.peer} ${c.peerPort}`;

/**
 * When the last data came, as an interval: the kernel counted `lastrcv` at a moment of the read,
 * between its start and its end.
 */
function lastData(read: JournalConnectionList, c: JournalConnection): { from: number; to: number } | undefined {
  if (c.lastReceivedMs === undefined) return undefined;
  return { from: read.startedAt - c.lastReceivedMs, to: read.at - c.lastReceivedMs };
}

/** The first thing found that a hand may have sent into Machine 1 over a connection during the cut. */
export function carriedDuringCut(w: CutWindow): Carried | undefined {
  const during = w.lists.filter((r) => r.at >= w.cutAt && r.at < w.backAt);
  const end = w.lists.find((r) => r.at >= w.backAt);
  const first = during[0];
  if (!first) return { kind: 'unlisted', when: 'cut', at: w.cutAt, more: 0 };
  if (!end) return { kind: 'unlisted', when: 'return', at: w.backAt, more: 0 };
  const reads = [...during, end];
  const long = reads.find((r) => r.more > 0);
  if (long) return { kind: 'unlisted', when: long === end ? 'return' : 'cut', at: long.at, more: long.more };

  const inCheck = (r: JournalConnectionList): boolean =>
    w.checks.some((c) => r.startedAt >= (c.startedAt ?? c.at - CHECK_MS) && r.at <= c.at);
  const seen = new Map<string, { read: JournalConnectionList; c: JournalConnection }[]>();
  for (const read of reads)
    for (const c of read.connections) {
      const list = seen.get(keyOf(c)) ?? [];
      list.push({ read, c });
      seen.set(keyOf(c), list);
    }
  for (const [key, list] of seen) {
    const c = list[0]?.c;
    if (!c || w.excused(c) || list.every((o) => inCheck(o.read))) continue;
    for (let i = 1; i < list.length; i++) {
      const [before, after] = [list[i - 1], list[i]];
      if (before && after && after.c.bytesReceived > before.c.bytesReceived)
        return {
          kind: 'received',
          connection: after.c,
          bytes: after.c.bytesReceived - before.c.bytesReceived,
          at: lastData(after.read, after.c)?.to ?? after.read.at,
        };
    }
    for (const { read, c: now } of list) {
      const last = lastData(read, now);
      if (now.bytesReceived > 0 && last && last.to > w.cutAt && last.from < w.backAt)
        return { kind: 'received', connection: now, bytes: undefined, at: last.to };
    }
    const lastSeen = list.at(-1);
    if (
      lastSeen &&
      lastSeen.read !== end &&
      OPEN_TO_DATA.has(lastSeen.c.state) &&
      !end.connections.some((e) => keyOf(e) === key)
    )
      return { kind: 'closed', connection: c, seenAt: lastSeen.read.at };
  }
  return undefined;
}
