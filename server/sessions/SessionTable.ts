import { errorMessage } from '../log/errorMessage';
import type { Log } from '../log/Log';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import { LabSessionError } from './LabSessionError';
import { allows, TRANSITIONS, type TransitionName } from './lifecycle';
import type {
  EndReason,
  LabSession,
  LabSessionEvent,
  LabSessionListener,
  LabSessionStatus,
  SessionEventSnapshot,
} from './labSessionTypes';

export interface SessionTableOptions {
  runtime: LabRuntime;
  idleMs: number;
  /** How long before the idle deadline the learner is warned (activity inside it is announced). */
  idleWarningMs: number;
  log: Log;
}

/**
 * The live sessions, the one owner of their status, and who listens to them. A status changes
 * only by a transition of the lifecycle table (`move`); listeners get a read-only snapshot of the
 * session with each event. LabSessions adds how sessions start, sleep and reset on top.
 */
export class SessionTable {
  protected readonly sessions = new Map<string, LabSession>();
  private readonly ready = new Map<string, Promise<LabDeployment>>();
  private readonly listeners = new Set<LabSessionListener>();
  /** Teardowns in flight, so shutdown waits for every machine to be gone. */
  protected readonly ending = new Set<Promise<void>>();

  constructor(private readonly table: SessionTableOptions) {}

  on(listener: LabSessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): Readonly<LabSession> | undefined {
    return this.sessions.get(id);
  }

  /** Undefined both for unknown ids and for other learners' sessions, so callers cannot tell them apart. */
  getOwned(id: string, learnerId: string): Readonly<LabSession> | undefined {
    const session = this.sessions.get(id);
    return session && session.learnerId === learnerId ? session : undefined;
  }

  listOwned(learnerId: string): Readonly<LabSession>[] {
    return this.list().filter((s) => s.learnerId === learnerId);
  }

  /** Every live session. */
  list(): Readonly<LabSession>[] {
    return [...this.sessions.values()];
  }

  /** The session itself, for the parts of its life (sleep and wake, reset) that change it. */
  live(id: string): LabSession | undefined {
    return this.sessions.get(id);
  }

  /**
   * Takes a transition of the lifecycle table. One the session's status does not allow (a stale
   * one: the session ended or moved on while its caller awaited) is refused and logged.
   */
  move(session: LabSession, name: TransitionName): boolean {
    if (!allows(session.status, name)) {
      this.table.log(`lab session ${session.id}: "${name}" refused, the session is ${session.status}`, 'warn');
      return false;
    }
    (session as { status: LabSessionStatus }).status = TRANSITIONS[name].to;
    return true;
  }

  /** Whether the session is in `status` now: after an await, its status may have moved on. */
  still(session: Readonly<LabSession>, status: LabSessionStatus): boolean {
    return session.status === status;
  }

  /** A machine of a ready lab stopped unexpectedly: the learner is told `problem` until a reset or recovery. */
  markBroken(id: string, problem: string): void {
    const session = this.sessions.get(id);
    if (!session || !this.move(session, 'broken')) return;
    session.problem = problem;
    this.emit({ type: 'broken', session });
  }

  /** The broken lab's machines run again. */
  markRecovered(id: string): void {
    const session = this.sessions.get(id);
    if (!session || !this.move(session, 'recovered')) return;
    delete session.problem;
    this.emit({ type: 'recovered', session });
  }

  whenReady(id: string): Promise<LabDeployment> {
    const ready = this.ready.get(id);
    if (!ready) return Promise.reject(new LabSessionError('not-found', 'No such lab session'));
    return ready;
  }

  /** What whenReady(id) answers from now on. */
  setReady(id: string, ready: Promise<LabDeployment>): void {
    this.ready.set(id, ready);
  }

  /** Learner activity: the idle time starts over. */
  touch(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    // Only activity that lifts an idle warning is announced: keystrokes must not flood the listeners.
    const wasWarned = session.idleExpiresAt - Date.now() <= this.table.idleWarningMs;
    this.startIdleClock(session);
    if (wasWarned) this.emit({ type: 'activity', session });
  }

  /**
   * The lab can be used (again) from now, after a start, reset or wake: its idle time starts over,
   * silently (however long the machines took, no warning was given that activity could lift).
   */
  startIdleClock(session: LabSession): void {
    session.lastActivityAt = Date.now();
    session.idleExpiresAt = session.lastActivityAt + this.table.idleMs;
  }

  /** A short message from the instructor to the learner's page. */
  message(id: string, text: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.emit({ type: 'message', session, text, at: Date.now() });
    return true;
  }

  end(id: string, reason: EndReason): Promise<void> {
    const done = this.teardown(id, reason);
    this.ending.add(done);
    return done.finally(() => this.ending.delete(done));
  }

  private async teardown(id: string, reason: EndReason): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    const ready = this.ready.get(id);
    this.ready.delete(id);
    const wasStarting = session.status === 'starting';
    this.move(session, 'ended');
    this.emit({ type: 'ended', session, reason });
    if (wasStarting) return; // start() destroys the machines when they arrive.
    const deployment = await ready?.catch(() => undefined);
    if (deployment)
      await this.table.runtime
        .destroy(deployment.deploymentId)
        .catch((error: unknown) => this.logError('end: destroy', error));
    session.deployment = undefined;
  }

  /** Forgets a session whose machines never came (its start failed). */
  protected forget(session: LabSession): void {
    this.sessions.delete(session.id);
    this.ready.delete(session.id);
    this.move(session, 'ended');
  }

  /** Tells every listener, each with the same read-only snapshot of the session as it is now. */
  emit(event: LabSessionEvent): void {
    const snapshot = Object.freeze({ ...event, session: Object.freeze({ ...event.session }) }) as SessionEventSnapshot;
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        this.logError(`listener for ${event.type}`, error);
      }
    }
  }

  log(message: string): void {
    this.table.log(message);
  }

  protected logError(what: string, error: unknown): void {
    this.table.log(`${what} failed: ${errorMessage(error)}`);
  }
}
