import type Database from 'better-sqlite3';

/** A step a class member has passed: their first and latest pass, over all their labs. */
export interface StepPass {
  stepId: string;
  firstPassAt: number;
  lastPassAt: number;
  /** Their latest check of the step, passed or not: after lastPassAt, the step did not hold then. */
  lastCheckAt: number;
}

/** A class member's progress, from the learner_progress table a trigger keeps as attempts are recorded. */
export interface LearnerProgressRow {
  learnerId: string;
  /** Time of their latest check, passed or not. */
  lastAt: number;
  passes: StepPass[];
  /** Steps they have checked but never passed. */
  triedOnly: string[];
}

type Raw = [learnerId: string, lastAt: number, passes: string | null, triedOnly: string | null];

export class LearnerProgressRepo {
  constructor(private readonly db: Database.Database) {}

  /**
   * One row per learner of the class who has checked anything, in one range scan of the table's
   * key: a class of 200 reads 200 rows, however many attempts they made. Passes come packed as
   * "step first last latest,…" (step ids have no spaces or commas) because rows, not bytes, cost here.
   */
  listByClass(classId: string): LearnerProgressRow[] {
    return this.db
      .prepare<[string], Raw>(`${SELECT} WHERE class_id = ? GROUP BY learner_id`)
      .raw()
      .all(classId)
      .map(toRow);
  }

  /** One class member's progress; undefined if they have checked nothing yet. */
  forLearner(classId: string, learnerId: string): LearnerProgressRow | undefined {
    const raw = this.db
      .prepare<[string, string], Raw>(`${SELECT} WHERE class_id = ? AND learner_id = ? GROUP BY learner_id`)
      .raw()
      .get(classId, learnerId);
    return raw && toRow(raw);
  }
}

const SELECT = `SELECT learner_id, MAX(last_at),
    group_concat(step_id || ' ' || first_pass_at || ' ' || last_pass_at || ' ' || last_at, ',') FILTER (WHERE first_pass_at IS NOT NULL),
    group_concat(step_id, ',') FILTER (WHERE first_pass_at IS NULL)
  FROM learner_progress`;

const toRow = ([learnerId, lastAt, packed, triedOnly]: Raw): LearnerProgressRow => ({
  learnerId,
  lastAt,
  passes: packed ? packed.split(',').map(unpack) : [],
  triedOnly: triedOnly ? triedOnly.split(',') : [],
});

function unpack(entry: string): StepPass {
  const [stepId = '', first, last, latest] = entry.split(' ');
  return { stepId, firstPassAt: Number(first), lastPassAt: Number(last), lastCheckAt: Number(latest) };
}
