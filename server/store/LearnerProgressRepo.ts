import type Database from 'better-sqlite3';
import { preparedOnce } from './preparedOnce';
import { readProgressJson } from './progressJson';

/** A step a class member has passed: their first and latest pass, over all their labs. */
export interface StepPass {
  stepId: string;
  firstPassAt: number;
  lastPassAt: number;
  /** Their latest check of the step, passed or not: after lastPassAt, the step did not hold then. */
  lastCheckAt: number;
}

/** A class member's progress: their learner_progress rows, which triggers keep as attempts are recorded. */
export interface LearnerProgressRow {
  learnerId: string;
  /** Time of their latest check, passed or not. */
  lastAt: number;
  passes: StepPass[];
  /** Steps they have checked but never passed. */
  triedOnly: string[];
}

export class LearnerProgressRepo {
  constructor(private readonly db: Database.Database) {}

  private readonly byClass = preparedOnce(() =>
    this.db
      .prepare<[string], [string, string]>('SELECT learner_id, progress_json FROM learner_summaries WHERE class_id = ?')
      .raw(),
  );

  /**
   * One row per learner of the class who has checked anything, from learner_summaries, which
   * triggers keep as attempts are recorded: a class of 200 reads 200 rows, however many attempts.
   */
  listByClass(classId: string): LearnerProgressRow[] {
    const rows: LearnerProgressRow[] = [];
    for (const [learnerId, json] of this.byClass().all(classId)) {
      const row = readProgressJson(learnerId, json);
      if (row) rows.push(row);
    }
    return rows;
  }

  private readonly byLearner = preparedOnce(() =>
    this.db
      .prepare<[string, string], string>(
        'SELECT progress_json FROM learner_summaries WHERE class_id = ? AND learner_id = ?',
      )
      .pluck(),
  );

  /** One class member's progress, or undefined before their first check. */
  ofLearner(classId: string, learnerId: string): LearnerProgressRow | undefined {
    return readProgressJson(learnerId, this.byLearner().get(classId, learnerId) ?? null);
  }
}
