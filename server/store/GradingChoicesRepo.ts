import type Database from 'better-sqlite3';

/**
 * A lab session's grading choices that are not attempts: answers to step questions, hints
 * revealed, and auto-check turned off. Same shape as server/grading/GradingChoices, so the
 * grading engine keeps them across restarts. Writes for a lab session the store never recorded
 * (a test harness's own labs) are ignored, as recordAttempt does with their verdicts.
 */
export class GradingChoicesRepo {
  constructor(private readonly db: Database.Database) {}

  autoCheck(sessionId: string): boolean {
    const raw = this.db
      .prepare<[string], number>('SELECT auto_check FROM grading_settings WHERE lab_session_id = ?')
      .pluck()
      .get(sessionId);
    return raw === undefined || raw === 1;
  }

  setAutoCheck(sessionId: string, enabled: boolean): void {
    this.db
      .prepare<[number, string]>(
        `INSERT INTO grading_settings (lab_session_id, auto_check)
        SELECT id, ? FROM lab_sessions WHERE id = ?
        ON CONFLICT(lab_session_id) DO UPDATE SET auto_check = excluded.auto_check`,
      )
      .run(enabled ? 1 : 0, sessionId);
  }

  answers(sessionId: string, stepId: string): Record<string, string> {
    const rows = this.db
      .prepare<[string, string], { question_id: string; answer: string }>(
        'SELECT question_id, answer FROM step_answers WHERE lab_session_id = ? AND step_id = ? ORDER BY question_id',
      )
      .all(sessionId, stepId);
    return Object.fromEntries(rows.map((r) => [r.question_id, r.answer]));
  }

  setAnswers(sessionId: string, stepId: string, answers: Readonly<Record<string, string>>): void {
    const upsert = this.db.prepare<
      [string, string, string, string]
    >(`INSERT INTO step_answers (lab_session_id, step_id, question_id, answer)
      SELECT id, ?, ?, ? FROM lab_sessions WHERE id = ?
      ON CONFLICT(lab_session_id, step_id, question_id) DO UPDATE SET answer = excluded.answer`);
    this.db
      .transaction(() => {
        for (const [questionId, answer] of Object.entries(answers)) upsert.run(stepId, questionId, answer, sessionId);
      })
      .immediate();
  }

  /** A new session of the same learner and lab starts with the earlier one's answers, hints and auto-check. */
  inherit(fromSessionId: string, toSessionId: string): void {
    this.db.transaction(() => {
      this.db
        .prepare<[string, string]>(
          `INSERT OR IGNORE INTO grading_settings (lab_session_id, auto_check)
          SELECT ?, auto_check FROM grading_settings WHERE lab_session_id = ?`,
        )
        .run(toSessionId, fromSessionId);
      this.db
        .prepare<[string, string]>(
          `INSERT OR IGNORE INTO step_answers (lab_session_id, step_id, question_id, answer)
          SELECT ?, step_id, question_id, answer FROM step_answers WHERE lab_session_id = ?`,
        )
        .run(toSessionId, fromSessionId);
      this.db
        .prepare<[string, string]>(
          `INSERT OR IGNORE INTO step_hints (lab_session_id, step_id, revealed)
          SELECT ?, step_id, revealed FROM step_hints WHERE lab_session_id = ?`,
        )
        .run(toSessionId, fromSessionId);
    })();
  }

  hintsRevealed(sessionId: string, stepId: string): number {
    const raw = this.db
      .prepare<[string, string], number>('SELECT revealed FROM step_hints WHERE lab_session_id = ? AND step_id = ?')
      .pluck()
      .get(sessionId, stepId);
    return raw ?? 0;
  }

  /** Reveals the next hint (up to `available`) in one statement; returns how many are now revealed. */
  revealHint(sessionId: string, stepId: string, available: number): number {
    const cap = Math.max(0, available);
    this.db
      .prepare<[string, number, string, number]>(
        `INSERT INTO step_hints (lab_session_id, step_id, revealed)
        SELECT id, ?, MIN(?, 1) FROM lab_sessions WHERE id = ?
        ON CONFLICT(lab_session_id, step_id) DO UPDATE SET revealed = MIN(?, revealed + 1)`,
      )
      .run(stepId, cap, sessionId, cap);
    return this.hintsRevealed(sessionId, stepId);
  }
}
