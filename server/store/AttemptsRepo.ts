import type Database from 'better-sqlite3';

import { CHECK_TRIGGERS } from '../../protocol/stepsViews';
import type { AttemptRow, CheckTrigger } from './attemptRow';

export type { AttemptRow, CheckTrigger } from './attemptRow';

/** An attempt with whose it was, for class-wide views. */
export interface ClassAttemptRow extends AttemptRow {
  learnerId: string;
}

interface Raw {
  id: number;
  lab_session_id: string;
  step_id: string;
  at: number;
  passed: number;
  message: string;
  trigger: string;
}

const toRow = (r: Raw): AttemptRow => ({
  id: r.id,
  sessionId: r.lab_session_id,
  stepId: r.step_id,
  at: r.at,
  passed: r.passed === 1,
  message: r.message,
  trigger: CHECK_TRIGGERS.find((t) => t === r.trigger) ?? 'check',
});

export class AttemptsRepo {
  constructor(private readonly db: Database.Database) {}

  /** Only for recordAttempt, which updates the learner's progress in the same transaction. */
  record(input: Omit<AttemptRow, 'id' | 'trigger'> & { trigger?: CheckTrigger }): AttemptRow {
    const attempt = { ...input, trigger: input.trigger ?? 'check' };
    const result = this.db
      .prepare<[string, string, number, number, string, CheckTrigger]>(
        'INSERT INTO check_attempts (lab_session_id, step_id, at, passed, message, trigger) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(attempt.sessionId, attempt.stepId, attempt.at, attempt.passed ? 1 : 0, attempt.message, attempt.trigger);
    return { id: Number(result.lastInsertRowid), ...attempt };
  }

  listBySession(sessionId: string): AttemptRow[] {
    return this.db
      .prepare<[string], Raw>('SELECT * FROM check_attempts WHERE lab_session_id = ? ORDER BY at, id')
      .all(sessionId)
      .map(toRow);
  }

  /**
   * The learner's record for the session's lab: the attempts of every session the same learner
   * had of the same lab, oldest first. Progress belongs to the learner, not to one set of machines.
   */
  listByLearnerLab(sessionId: string): AttemptRow[] {
    const sql = `SELECT a.* FROM check_attempts a
      JOIN lab_sessions p ON p.id = a.lab_session_id
      JOIN lab_sessions s ON s.learner_id = p.learner_id AND s.lab_id = p.lab_id
      WHERE s.id = ? ORDER BY a.at, a.id`;
    return this.db.prepare<[string], Raw>(sql).all(sessionId).map(toRow);
  }

  listByClass(classId: string): ClassAttemptRow[] {
    const sql = `SELECT a.*, s.learner_id FROM check_attempts a
      JOIN lab_sessions s ON s.id = a.lab_session_id
      JOIN learners l ON l.id = s.learner_id
      WHERE l.class_id = ? ORDER BY a.at, a.id`;
    return this.db
      .prepare<[string], Raw & { learner_id: string }>(sql)
      .all(classId)
      .map((r) => ({ ...toRow(r), learnerId: r.learner_id }));
  }
}
