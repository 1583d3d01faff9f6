import { errorMessage } from '../log/errorMessage';
import { emptyProgress, type Progress, type Verdict } from '../grading/progress';
import type { AttemptRecord, ProgressStore, RecordOutcome } from '../grading/ProgressStore';
import { recordAttempt } from '../store/recordAttempt';
import type { Store } from '../store/Store';
import type { ClassroomChanges } from './ClassroomChanges';
import { silentLog, type Log } from '../log/Log';

/** A learner's progress changed: what it is now, and the lab session whose check changed it. */
export interface ProgressChange {
  sessionId: string;
  progress: Progress;
}

/**
 * The learners' progress, durable (the grading engine's ProgressStore): each verdict is committed
 * with its progress before `record` returns, then the dashboards and `onChange` listeners (grade
 * passback) hear about it.
 */
export class ProgressRecords implements ProgressStore {
  private readonly listeners = new Set<(change: ProgressChange) => void>();

  constructor(
    private readonly store: Store,
    private readonly changes: ClassroomChanges,
    private readonly log: Log = silentLog,
  ) {}

  record(sessionId: string, verdict: Verdict): RecordOutcome {
    const outcome = recordAttempt(this.store, sessionId, verdict);
    if (!outcome) return { progress: emptyProgress('', ''), kept: false };
    if (outcome.kept) {
      this.changes.notify(outcome.progress.learnerId);
      for (const listener of this.listeners) {
        try {
          listener({ sessionId, progress: outcome.progress });
        } catch (error) {
          this.log(`a progress listener failed: ${errorMessage(error)}`);
        }
      }
    }
    return outcome;
  }

  /** The learner's progress on a lab: what their page, the dashboard and the grades show. */
  forLearner(learnerId: string, labId: string): Progress {
    return this.store.progress.get(learnerId, labId);
  }

  forSession(sessionId: string): Progress {
    const owner = this.store.labSessions.ownerOf(sessionId);
    return owner ? this.forLearner(owner.learnerId, owner.labId) : emptyProgress('', '');
  }

  attempts(sessionId: string): AttemptRecord[] {
    return this.store.attempts.listByLearnerLab(sessionId);
  }

  /** Called after each committed change of a learner's progress; returns the unsubscribe. */
  onChange(listener: (change: ProgressChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
