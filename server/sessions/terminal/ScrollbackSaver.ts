import { errorMessage } from '../../log/errorMessage';
import type { Log } from '../../log/Log';
import type { RingBuffer } from './RingBuffer';
import type { ScrollbackFiles } from './ScrollbackFiles';
import { splitTerminalKey, terminalKey } from './TerminalListeners';

/** A crash loses at most this much of a screen; a deliberate stop saves everything. */
export const SAVE_EVERY_MS = 10_000;

/** What the saver needs of a live terminal. */
export interface SavedTerminal {
  readonly scrollback: Pick<RingBuffer, 'version' | 'snapshot'>;
}

/**
 * Writes changed scrollbacks to disk while the server runs, one file at a time with asynchronous
 * writes: a hundred labs' terminals are never written in one turn of the event loop, which would
 * hold every learner's keystrokes meanwhile. Each lab session's disk work (saves, its removal)
 * runs in order, and a terminal opening waits only for its own session's.
 */
export class ScrollbackSaver {
  private readonly savedVersions = new Map<string, number>();
  /** The latest disk work of each lab session; later work of the session runs after it. */
  private readonly work = new Map<string, Promise<void>>();
  private round: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly files: ScrollbackFiles,
    /** The live terminals by `sessionId/machineId`. */
    private readonly live: ReadonlyMap<string, SavedTerminal>,
    private readonly log: Log,
  ) {
    this.timer = setInterval(() => {
      // A round still writing (a slow disk) is not joined by another.
      this.round ??= this.saveChanged().finally(() => {
        this.round = undefined;
      });
    }, SAVE_EVERY_MS);
    this.timer.unref();
  }

  /** Every terminal changed since its last save, one after the other. */
  saveChanged(): Promise<void> {
    const changed = [...this.live].filter(([k, t]) => this.savedVersions.get(k) !== t.scrollback.version);
    return changed.reduce<Promise<void>>(
      (previous, [k, terminal]) =>
        previous.then(() =>
          // Closed meanwhile (its lab slept, reset or ended): that save is done, or not wanted.
          this.stopped || this.live.get(k) !== terminal ? undefined : this.save(k, terminal),
        ),
      Promise.resolve(),
    );
  }

  /** The screens of a lab session's terminals as they are now (its shells are about to go). */
  saveSession(sessionId: string): Promise<void> {
    const saves = [...this.live].filter(([k]) => k.startsWith(`${sessionId}/`)).map(([k, t]) => this.save(k, t));
    this.forget(sessionId);
    return Promise.all(saves).then(() => undefined);
  }

  /** The lab session's saved screens are no longer wanted (a reset or its end). */
  removeSession(sessionId: string): Promise<void> {
    this.forget(sessionId);
    return this.after(sessionId, () => this.files.removeSession(sessionId));
  }

  /** The screen saved before the terminal (re)opened, if any; after settled(). A new shell starts unsaved. */
  take(sessionId: string, machineId: string): Buffer | undefined {
    this.savedVersions.delete(terminalKey(sessionId, machineId));
    return this.files.take(sessionId, machineId);
  }

  /** Resolves once the lab session's disk work so far is done (before its saved screens are read). */
  settled(sessionId: string): Promise<void> {
    return this.work.get(sessionId) ?? Promise.resolve();
  }

  /** No more periodic saves; resolves when the disk work under way is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
    await this.idle();
  }

  /** Resolves when every lab session's disk work so far is done. */
  async idle(): Promise<void> {
    await Promise.all(this.work.values());
  }

  /** At a deliberate stop, after stop(): every changed screen, written before this returns. */
  saveAllNow(): void {
    for (const [k, terminal] of this.live) {
      const version = terminal.scrollback.version;
      if (this.savedVersions.get(k) === version) continue;
      const [sessionId, machineId] = splitTerminalKey(k);
      try {
        this.files.saveNow(sessionId, machineId, terminal.scrollback.snapshot());
        this.savedVersions.set(k, version);
      } catch (error) {
        this.log(`could not save scrollback: ${errorMessage(error)}`);
      }
    }
  }

  private save(k: string, terminal: SavedTerminal): Promise<void> {
    const [sessionId, machineId] = splitTerminalKey(k);
    // The screen as it is now, whenever the write gets its turn.
    const version = terminal.scrollback.version;
    const data = terminal.scrollback.snapshot();
    this.savedVersions.set(k, version);
    return this.after(sessionId, async () => {
      await this.files.save(sessionId, machineId, data).catch((error: unknown) => {
        if (this.savedVersions.get(k) === version) this.savedVersions.delete(k);
        this.log(`could not save scrollback: ${errorMessage(error)}`);
      });
    });
  }

  private after(sessionId: string, task: () => Promise<void>): Promise<void> {
    const next = (this.work.get(sessionId) ?? Promise.resolve()).then(task).catch((error: unknown) => {
      this.log(`scrollback of ${sessionId}: ${errorMessage(error)}`);
    });
    this.work.set(sessionId, next);
    void next.then(() => {
      if (this.work.get(sessionId) === next) this.work.delete(sessionId);
    });
    return next;
  }

  private forget(sessionId: string): void {
    for (const k of [...this.savedVersions.keys()]) if (k.startsWith(`${sessionId}/`)) this.savedVersions.delete(k);
  }
}
