import type Database from 'better-sqlite3';

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

  /**
   * Every distinct failure message of the class, per step, from the step_failures table a trigger
   * keeps as attempts are recorded: one range scan of the class's key, however many attempts.
   */
  listByClass(classId: string): StepFailureRow[] {
    const rows = this.db
      .prepare(
        `SELECT step_id, message, COUNT(*), SUM(attempts) FROM step_failures
         WHERE class_id = ? GROUP BY step_id, message`,
      )
      .raw()
      .all(classId) as Raw[];
    return rows.map(([stepId, message, learners, attempts]) => ({ stepId, message, learners, attempts }));
  }
}
