import { errorMessage } from '../../log/errorMessage';
import type { Log } from '../../log/Log';

/** The key of one terminal: a lab session's machine. */
export const terminalKey = (sessionId: string, machineId: string): string => `${sessionId}/${machineId}`;

/** A terminal's key back into its lab session and machine. */
export function splitTerminalKey(key: string): [sessionId: string, machineId: string] {
  const [sessionId = '', machineId = ''] = key.split('/');
  return [sessionId, machineId];
}

/**
 * Listeners per terminal that outlive its shell (reconnects, resets, a reopen); a listener that
 * throws is logged and the others still hear the event.
 */
export class TerminalListeners<E> {
  private readonly sets = new Map<string, Set<(event: E) => void>>();

  constructor(
    private readonly log: Log,
    private readonly what: string,
  ) {}

  add(sessionId: string, machineId: string, listener: (event: E) => void): () => void {
    const k = terminalKey(sessionId, machineId);
    let set = this.sets.get(k);
    if (!set) {
      set = new Set();
      this.sets.set(k, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit(key: string, event: E): void {
    for (const listener of this.sets.get(key) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.log(`${this.what} listener failed: ${errorMessage(error)}`);
      }
    }
  }

  /** A lab session ended: its terminals are gone for good. */
  forgetSession(sessionId: string): void {
    for (const k of [...this.sets.keys()]) if (k.startsWith(`${sessionId}/`)) this.sets.delete(k);
  }
}
