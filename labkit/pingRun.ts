/** Reads a ping run's output: which icmp_seq got a reply and which got an ICMP error. */

export type PingLineKind = 'reply' | 'error';

export interface PingLine {
  seq: number;
  kind: PingLineKind;
  text: string;
}

export interface PingTransition {
  lastReply: PingLine;
  firstError: PingLine;
  errorCount: number;
}

const REPLY = /^\d+ bytes from .*\bicmp_seq=(\d+)/;
// Modern iputils says "Destination Host Prohibited"; the chapter's older ping said "Dest Unreachable, Bad Code: 10".
const ERROR = /^From .*\bicmp_seq=(\d+)\s+(Destination Host Prohibited|Dest Unreachable\b.*)$/i;

export function pingLines(output: string): PingLine[] {
  const lines: PingLine[] = [];
  for (const raw of output.split('\n')) {
    const text = raw.trim();
    const reply = REPLY.exec(text);
    if (reply) lines.push({ seq: Number(reply[1]), kind: 'reply', text });
    const error = ERROR.exec(text);
    if (error) lines.push({ seq: Number(error[1]), kind: 'error', text });
  }
  return lines;
}

/**
 * The moment a ping went from replies to errors: a reply immediately followed by an error whose
 * icmp_seq is the next one (at most `maxGap` - 1 packets lost in between, e.g. during the restart).
 */
export function replyToErrorTransition(lines: readonly PingLine[], maxGap = 3): PingTransition | undefined {
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = lines[i];
    const b = lines[i + 1];
    if (!a || !b || a.kind !== 'reply' || b.kind !== 'error') continue;
    const gap = b.seq - a.seq;
    if (gap < 1 || gap > maxGap) continue;
    const errorCount = lines.slice(i + 1).filter((l) => l.kind === 'error').length;
    return { lastReply: a, firstError: b, errorCount };
  }
  return undefined;
}
