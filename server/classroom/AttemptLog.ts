import type { AttemptRow, AttemptTrigger } from '../store/AttemptsRepo';
import type { Store } from '../store/Store';
import type { ClassroomChanges } from './ClassroomChanges';

export interface AttemptInput {
  labSessionId: string;
  stepId: string;
  at: number;
  passed: boolean;
  message: string;
  trigger?: AttemptTrigger;
}

/**
 * Where check results go (the grading engine's AttemptStore): each attempt is committed
 * durably before `record` returns, and the dashboards hear about it.
 */
export class AttemptLog {
  constructor(
    private readonly store: Store,
    private readonly changes: ClassroomChanges,
  ) {}

  record(attempt: AttemptInput): AttemptRow | undefined {
    // Attempts on labs that were never recorded (a test harness's own labs) have no row to hang on.
    const session = this.store.labSessions.get(attempt.labSessionId);
    if (!session) return undefined;
    const row = this.store.transaction(() => {
      const saved = this.store.attempts.record({ ...attempt, message: attempt.message.slice(0, 2000) });
      this.store.labSessions.touch(attempt.labSessionId, attempt.at);
      return saved;
    });
    this.changes.notify(session.learnerId);
    return row;
  }

  /** Every attempt of the learner on this session's lab, earlier sessions included. */
  listBySession(labSessionId: string): AttemptRow[] {
    return this.store.attempts.listByLearnerLab(labSessionId);
  }
}
