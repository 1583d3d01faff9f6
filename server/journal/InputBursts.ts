/**
 * Keystrokes into machines' terminals as the journal keeps them: bursts, never content. A burst
 * opens at a byte and takes every byte of the next WINDOW_MS, so a machine gets at most one event
 * a second however fast anyone types (a check closes the bursts it must see early).
 */
import type { JournalInput } from '../../labkit/journal';

export const WINDOW_MS = 1_000;

interface Burst {
  sessionId: string;
  machineId: string;
  at: number;
  until: number;
  bytes: number;
}

export class InputBursts {
  private readonly open = new Map<string, Burst>();
  /** The last seq given per lab session (from the table after a restart). */
  private readonly seqs = new Map<string, number>();

  constructor(
    private readonly lastSeq: (sessionId: string) => number,
    private readonly record: (sessionId: string, event: JournalInput) => void,
  ) {}

  typed(sessionId: string, machineId: string, bytes: number, at = Date.now()): void {
    if (bytes <= 0) return;
    const key = `${sessionId}\n${machineId}`;
    const burst = this.open.get(key);
    if (burst && at < burst.at + WINDOW_MS) {
      burst.until = Math.max(burst.until, at);
      burst.bytes += bytes;
      return;
    }
    if (burst) this.close(key, burst);
    this.open.set(key, { sessionId, machineId, at, until: at, bytes });
  }

  /** Records the bursts whose window has passed, and every burst of `sessionId` (a check reads it now). */
  settle(now = Date.now(), sessionId?: string): void {
    for (const [key, burst] of this.open)
      if (burst.sessionId === sessionId || now >= burst.at + WINDOW_MS) this.close(key, burst);
  }

  /** A lab session ended: its open bursts are recorded and nothing of it is kept. */
  forget(sessionId: string): void {
    this.settle(Date.now(), sessionId);
    this.seqs.delete(sessionId);
  }

  private close(key: string, b: Burst): void {
    this.open.delete(key);
    const seq = (this.seqs.get(b.sessionId) ?? this.lastSeq(b.sessionId)) + 1;
    this.seqs.set(b.sessionId, seq);
    this.record(b.sessionId, { kind: 'input', at: b.at, until: b.until, machineId: b.machineId, bytes: b.bytes, seq });
  }
}
