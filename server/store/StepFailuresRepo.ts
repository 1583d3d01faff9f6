import type Database from 'better-sqlite3';
import { preparedOnce } from './preparedOnce';

/** A failure message of one step in a class: how many class members got it, how many times in all. */
export interface StepFailureRow {
  stepId: string;
  message: string;
  learners: number;
  attempts: number;
}

type Raw = [stepId: string, message: string, learners: number, attempts: number];

export class StepFailuresRepo {
  constructor(private readonly db: Database.Database) {}

  private readonly byClass = preparedOnce(() =>
    this.db
      .prepare<[string], Raw>(
        'SELECT step_id, message, learners, attempts FROM step_failure_counts WHERE class_id = ? ORDER BY step_id, message',
      )
      .raw(),
  );

  /**
   * Every distinct failure message of the class, per step, from step_failure_counts, which triggers
   * keep as attempts are recorded: a row per message, however many learners and attempts.
   */
  listByClass(classId: string): StepFailureRow[] {
    return this.byClass()
      .all(classId)
      .map(([stepId, message, learners, attempts]) => ({ stepId, message, learners, attempts }));
  }
}
