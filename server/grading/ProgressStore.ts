/**
 * Where verdicts and progress are kept, for the grading engine. The server passes the SQLite one
 * (classroom/ProgressLog); InMemoryProgressStore serves tests and scripts. Both record through
 * `applyVerdict`, so they behave the same.
 */
import { applyVerdict, emptyProgress, type CheckTrigger, type Progress, type Verdict } from './progress';

/** One stored verdict: an entry of the history of checks. */
export interface AttemptRecord {
  sessionId: string;
  stepId: string;
  /** Epoch milliseconds. */
  at: number;
  passed: boolean;
  message: string;
  trigger: CheckTrigger;
}

export interface RecordOutcome {
  /** The learner's progress on the session's lab after the verdict. */
  progress: Progress;
  /** Whether the verdict was kept (see applyVerdict). */
  kept: boolean;
}

export interface ProgressStore {
  /** Stores the verdict and updates the learner's progress, all or nothing. */
  record(sessionId: string, verdict: Verdict): RecordOutcome;
  /** The progress that counts for the session: its learner's on its lab, earlier sessions included. */
  forSession(sessionId: string): Progress;
  /** The history of checks of the session's learner on its lab, oldest first. */
  attempts(sessionId: string): AttemptRecord[];
}

export interface SessionOwner {
  learnerId: string;
  labId: string;
}

export class InMemoryProgressStore implements ProgressStore {
  private readonly progress = new Map<string, Progress>();
  private readonly history = new Map<string, AttemptRecord[]>();

  /** `ownerOf` maps a session to its learner and lab; by default each session is a learner of its own. */
  constructor(
    private readonly ownerOf: (sessionId: string) => SessionOwner = (id) => ({ learnerId: id, labId: 'lab' }),
  ) {}

  record(sessionId: string, verdict: Verdict): RecordOutcome {
    const key = this.key(sessionId);
    const { progress, keep } = applyVerdict(this.forSession(sessionId), verdict);
    if (keep) {
      this.progress.set(key, progress);
      this.history.set(key, [...(this.history.get(key) ?? []), { sessionId, ...verdict }]);
    }
    return { progress, kept: keep };
  }

  forSession(sessionId: string): Progress {
    const { learnerId, labId } = this.ownerOf(sessionId);
    return this.progress.get(this.key(sessionId)) ?? emptyProgress(learnerId, labId);
  }

  attempts(sessionId: string): AttemptRecord[] {
    // Oldest first by time, then as recorded, as the SQLite store orders them.
    return [...(this.history.get(this.key(sessionId)) ?? [])].sort((a, b) => a.at - b.at);
  }

  private key(sessionId: string): string {
    const { learnerId, labId } = this.ownerOf(sessionId);
    return JSON.stringify([learnerId, labId]);
  }
}
