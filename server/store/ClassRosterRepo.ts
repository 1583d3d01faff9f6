import type Database from 'better-sqlite3';
import type { LabSessionSummary, StoredLabStatus } from './LabSessionsRepo';
import type { Progress } from '../grading/progress';
import type { LearnerRow } from './LearnersRepo';
import { preparedOnce } from './preparedOnce';
import { readProgressSteps } from './ProgressRepo';

/** A class member with what their dashboard line is made of. */
export interface RosterEntry {
  learner: LearnerRow;
  /** Their latest lab of the class's lab (the newest started; the last recorded of a tie). */
  session: LabSessionSummary | undefined;
  /** Their progress on the class's lab; undefined until they try anything. */
  progress: Progress | undefined;
}

type Raw = [
  id: string,
  displayName: string,
  classId: string,
  createdAt: number,
  sessionId: string | null,
  status: StoredLabStatus | null,
  labCreatedAt: number | null,
  lastActivity: number | null,
  steps: string | null,
  progressAt: number | null,
];

interface Params {
  classId: string;
  labId: string;
  learnerId?: string;
}

/**
 * The class's learners, each with their latest lab and progress, in one query of a row per
 * learner (two indexed lookups each), so a snapshot does not pay per-query and per-row overhead
 * three times over.
 */
const select = (where: string): string => `SELECT l.id, l.display_name, l.class_id, l.created_at,
    s.id, s.status, s.created_at, s.last_activity, p.steps_json, p.last_at
  FROM learners l
  LEFT JOIN lab_sessions s ON s.rowid = (SELECT rowid FROM lab_sessions
    WHERE learner_id = l.id AND lab_id = @labId ORDER BY created_at DESC, rowid DESC LIMIT 1)
  LEFT JOIN progress p ON p.learner_id = l.id AND p.lab_id = @labId
  WHERE ${where}`;

export class ClassRosterRepo {
  constructor(private readonly db: Database.Database) {}

  private readonly byClass = preparedOnce(() =>
    this.db
      .prepare<[Params], Raw>(select('l.class_id = @classId AND l.removed_at IS NULL ORDER BY l.created_at, l.id'))
      .raw(),
  );

  private readonly ofLearner = preparedOnce(() =>
    this.db
      .prepare<[Params], Raw>(select('l.id = @learnerId AND l.class_id = @classId AND l.removed_at IS NULL'))
      .raw(),
  );

  /** Every member of the class, in roster order (joining order); removed learners are not members. */
  list(classId: string, labId: string): RosterEntry[] {
    return this.byClass()
      .all({ classId, labId })
      .map((raw) => toEntry(raw, labId));
  }

  /** One member; undefined if they are not in the class. */
  get(classId: string, labId: string, learnerId: string): RosterEntry | undefined {
    const raw = this.ofLearner().get({ classId, labId, learnerId });
    return raw && toEntry(raw, labId);
  }
}

function toEntry(raw: Raw, labId: string): RosterEntry {
  const [id, displayName, classId, createdAt, sessionId, status, labCreatedAt, lastActivity, steps, progressAt] = raw;
  return {
    learner: { id, displayName, classId, createdAt },
    session:
      sessionId === null
        ? undefined
        : {
            id: sessionId,
            learnerId: id,
            labId,
            // NOT NULL columns: null only when there is no lab, handled above.
            status: status ?? 'ended',
            createdAt: labCreatedAt ?? 0,
            lastActivity: lastActivity ?? 0,
          },
    progress:
      steps === null ? undefined : { learnerId: id, labId, steps: readProgressSteps(id, steps), lastAt: progressAt },
  };
}
