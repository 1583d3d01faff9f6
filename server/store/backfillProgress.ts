import type Database from 'better-sqlite3';
import { CHECK_TRIGGERS } from '../../protocol/stepsViews';
import { applyVerdict, emptyProgress, type Progress } from '../grading/progress';
import { ProgressRepo } from './ProgressRepo';

/**
 * Fills the progress table by replaying every stored attempt, oldest first, through the same
 * applyVerdict the writer uses: the result is what recording them one by one would have given.
 */
export function backfillProgress(db: Database.Database): void {
  const rows = db
    .prepare<[], [string, string, string, number, number, string, string]>(
      `SELECT s.learner_id, s.lab_id, a.step_id, a.at, a.passed, a.message, a.trigger
        FROM check_attempts a JOIN lab_sessions s ON s.id = a.lab_session_id ORDER BY a.at, a.id`,
    )
    .raw()
    .iterate();
  const byLearnerLab = new Map<string, Progress>();
  for (const [learnerId, labId, stepId, at, passed, message, stored] of rows) {
    const key = JSON.stringify([learnerId, labId]);
    const trigger = CHECK_TRIGGERS.find((t) => t === stored) ?? 'check';
    const before = byLearnerLab.get(key) ?? emptyProgress(learnerId, labId);
    byLearnerLab.set(key, applyVerdict(before, { stepId, at, passed: passed === 1, message, trigger }).progress);
  }
  const repo = new ProgressRepo(db);
  for (const progress of byLearnerLab.values()) if (progress.lastAt !== null) repo.put(progress);
}
