import { errorMessage } from '../log/errorMessage';
import type { EndReason, LabSession, LabSessionEvent, SleepReason } from './labSessionTypes';
import type { Log } from '../log/Log';

export interface ReaperDeps {
  list: () => LabSession[];
  sleep: (id: string, reason: SleepReason) => Promise<unknown>;
  end: (id: string, reason: EndReason) => Promise<void>;
  emit: (event: LabSessionEvent) => void;
  idleWarningMs: number;
  sleepMs: number;
  /** How long before the maximum age the learner is warned. */
  maxAgeWarningMs: number | undefined;
  log: Log;
}

/**
 * Every few seconds: idle labs are warned, then put to sleep; labs asleep longer than sleepMs
 * are removed; labs near their maximum (awake) age are warned, then ended. A warning is given
 * once per deadline: activity (a new idle deadline) or a wake (a new age deadline) re-arms it.
 */
export class IdleReaper {
  private timer: NodeJS.Timeout | undefined;
  /** Session id -> the deadline its learner was warned about. */
  private readonly idleWarned = new Map<string, number>();
  private readonly ageWarned = new Map<string, number>();

  constructor(private readonly deps: ReaperDeps) {}

  start(): void {
    const every = Math.max(
      250,
      Math.min(30_000, this.deps.idleWarningMs / 4, (this.deps.maxAgeWarningMs ?? Infinity) / 4),
    );
    this.timer = setInterval(() => this.reap(), every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  reap(now = Date.now()): void {
    const live = new Set<string>();
    for (const session of this.deps.list()) {
      live.add(session.id);
      if (session.status === 'sleeping') this.removeIfExpired(session, now);
      else if (session.status === 'ready' || session.status === 'broken') this.checkAwake(session, now);
    }
    for (const id of [...this.idleWarned.keys(), ...this.ageWarned.keys()]) if (!live.has(id)) this.forget(id);
  }

  private forget(id: string): void {
    this.idleWarned.delete(id);
    this.ageWarned.delete(id);
  }

  private removeIfExpired(session: LabSession, now: number): void {
    if (session.sleptAt === undefined || now < session.sleptAt + this.deps.sleepMs) return;
    this.deps.log(`removing lab ${session.id}, asleep since ${new Date(session.sleptAt).toISOString()}`);
    void this.deps.end(session.id, 'expired');
  }

  private checkAwake(session: LabSession, now: number): void {
    if (now >= session.expiresAt) {
      this.deps.log(`ending lab ${session.id}: it reached its maximum age`);
      void this.deps.end(session.id, 'max-age');
      return;
    }
    if (
      now >= session.expiresAt - (this.deps.maxAgeWarningMs ?? 0) &&
      this.ageWarned.get(session.id) !== session.expiresAt
    ) {
      this.ageWarned.set(session.id, session.expiresAt);
      this.deps.emit({ type: 'age-warning', session });
    }
    if (now >= session.idleExpiresAt) {
      this.deps.log(`idle lab ${session.id} goes to sleep`);
      void this.deps
        .sleep(session.id, 'idle')
        .catch((error: unknown) => this.deps.log(`sleep ${session.id} failed: ${errorMessage(error)}`));
    } else if (
      now >= session.idleExpiresAt - this.deps.idleWarningMs &&
      this.idleWarned.get(session.id) !== session.idleExpiresAt
    ) {
      this.idleWarned.set(session.id, session.idleExpiresAt);
      this.deps.emit({ type: 'idle-warning', session });
    }
  }
}
