/** Pure grade computation: what the CSV, the JSON API and the dashboard matrix all show. */
import type { StepRef } from '../../protocol/classViews';

export type { StepRef } from '../../protocol/classViews';

export interface LearnerRef {
  id: string;
  displayName: string;
}

export interface GradeRow {
  learnerId: string;
  displayName: string;
  /** stepId -> time of the first passing check, or null if never passed. */
  firstPass: Record<string, number | null>;
  total: number;
  /** Latest of the learner's lab activity and check attempts; null if they never did anything. */
  lastActivity: number | null;
}

/** A learner's progress: their passes (first pass per step) and their latest check. */
export interface ProgressRef {
  learnerId: string;
  lastAt: number;
  passes: readonly { stepId: string; firstPassAt: number }[];
}

/**
 * One row per learner, in roster order. Passes of steps not in `steps` (a lab changed since)
 * are ignored, so the total always matches the visible columns.
 */
export function computeGrades(
  steps: readonly StepRef[],
  learners: readonly LearnerRef[],
  progress: readonly ProgressRef[],
  labActivity: ReadonlyMap<string, number>,
): GradeRow[] {
  const byLearner = new Map(progress.map((p) => [p.learnerId, p]));
  return learners.map((learner) => {
    const firstPass: Record<string, number | null> = {};
    for (const step of steps) firstPass[step.id] = null;
    const mine = byLearner.get(learner.id);
    const activity = labActivity.get(learner.id);
    const last = mine || activity !== undefined ? Math.max(activity ?? 0, mine?.lastAt ?? 0) : null;
    for (const pass of mine?.passes ?? []) if (pass.stepId in firstPass) firstPass[pass.stepId] = pass.firstPassAt;
    const total = Object.values(firstPass).filter((t) => t !== null).length;
    return { learnerId: learner.id, displayName: learner.displayName, firstPass, total, lastActivity: last };
  });
}

export const isoOrBlank = (t: number | null | undefined): string =>
  t === null || t === undefined ? '' : new Date(t).toISOString();

/** The rows as a table: header, then one line per learner. Shared by CSV and `npm run grade`. */
export function gradeTable(steps: readonly StepRef[], rows: readonly GradeRow[]): string[][] {
  const header = ['Learner', ...steps.map((s) => s.id), 'Total', 'Last activity'];
  const body = rows.map((row) => [
    row.displayName,
    ...steps.map((s) => isoOrBlank(row.firstPass[s.id])),
    String(row.total),
    isoOrBlank(row.lastActivity),
  ]);
  return [header, ...body];
}
