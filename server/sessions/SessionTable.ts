import { errorMessage } from '../log/errorMessage';
import type { LabDeployment } from '../runtime/LabRuntime';
import { LabSessionError } from './LabSessionError';
import type { LabSession, LabSessionEvent, LabSessionListener } from './labSessionTypes';
import type { Log } from '../log/Log';

/**
 * The live sessions and who listens to them: lookups, activity, and the events every other
 * area (terminals, grading, the store) follows. LabSessions adds their life (start, sleep,
 * reset, end) on top.
 */
export class SessionTable {
  protected readonly sessions = new Map<string, LabSession>();
  protected readonly ready = new Map<string, Promise<LabDeployment>>();
  private readonly listeners = new Set<LabSessionListener>();

  constructor(
    private readonly idleMs: number,
    private readonly logTo: Log,
    /** How long before the idle deadline the learner is warned (activity inside it is announced). */
    private readonly idleWarningMs = 0,
  ) {}

  on(listener: LabSessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): LabSession | undefined {
    return this.sessions.get(id);
  }

  /** Undefined both for unknown ids and for other learners' sessions, so callers cannot tell them apart. */
  getOwned(id: string, learnerId: string): LabSession | undefined {
    const session = this.sessions.get(id);
    return session && session.learnerId === learnerId ? session : undefined;
  }

  listOwned(learnerId: string): LabSession[] {
    return [...this.sessions.values()].filter((s) => s.learnerId === learnerId);
  }

  /** Every live session (for MachineFailures). */
  list(): LabSession[] {
    return [...this.sessions.values()];
  }

  /** A machine of a ready lab stopped unexpectedly: the learner is told `problem` until a reset or recovery. */
  markBroken(id: string, problem: string): void {
    const session = this.sessions.get(id);
    if (!session || session.status !== 'ready') return;
    session.status = 'broken';
    session.problem = problem;
    this.emit({ type: 'broken', session });
  }

  /** The broken lab's machines run again. */
  markRecovered(id: string): void {
    const session = this.sessions.get(id);
    if (!session || session.status !== 'broken') return;
    session.status = 'ready';
    delete session.problem;
    this.emit({ type: 'recovered', session });
  }

  whenReady(id: string): Promise<LabDeployment> {
    const ready = this.ready.get(id);
    if (!ready) return Promise.reject(new LabSessionError('not-found', 'No such lab session'));
    return ready;
  }

  touch(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    const now = Date.now();
    // Only activity that lifts an idle warning is announced: keystrokes must not flood the listeners.
    const wasWarned = session.idleExpiresAt - now <= this.idleWarningMs;
    session.lastActivityAt = now;
    session.idleExpiresAt = now + this.idleMs;
    if (wasWarned) this.emit({ type: 'activity', session });
  }

  /** A short message from the instructor to the learner's page. */
  message(id: string, text: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.emit({ type: 'message', session, text, at: Date.now() });
    return true;
  }

  protected emit(event: LabSessionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logError(`listener for ${event.type}`, error);
      }
    }
  }

  protected logError(what: string, error: unknown): void {
    this.logTo(`${what} failed: ${errorMessage(error)}`);
  }
}
