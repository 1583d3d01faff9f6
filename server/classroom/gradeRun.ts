import { errorMessage } from '../log/errorMessage';
import type { ClassRow } from '../store/ClassesRepo';
import type { ClassroomService } from './ClassroomService';
import type { StepRef } from './grades';

/** One step's result of a checker run now (the grading engine's CheckOutcome, narrowed). */
export interface StepResult {
  stepId: string;
  passed: boolean;
  message: string;
}

export type RunAllChecks = (sessionId: string) => Promise<StepResult[]>;

export interface GradeRunRow {
  learnerId: string;
  displayName: string;
  sessionId: string | null;
  /** stepId -> result now; empty when the learner has no running lab. */
  results: Record<string, { passed: boolean; message: string }>;
  passed: number;
  error: string | null;
}

/**
 * Runs every step's checker on every live lab of the class, now (`npm run grade`). Labs are
 * graded two at a time: checks probe real machines, and a 2-core host must stay responsive.
 */
export async function gradeRun(
  service: ClassroomService,
  cls: ClassRow,
  runAllChecks: RunAllChecks,
): Promise<{ steps: StepRef[]; rows: GradeRunRow[] }> {
  const steps = service.steps(cls.labId);
  const learners = service.store.learners.listByClass(cls.id);
  const rows: GradeRunRow[] = learners.map((l) => ({
    learnerId: l.id,
    displayName: l.displayName,
    sessionId: service.liveSessionOf(cls, l.id) ?? null,
    results: {},
    passed: 0,
    error: null,
  }));
  const queue = rows.filter((r) => r.sessionId !== null);
  const worker = async (): Promise<void> => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      try {
        for (const r of await runAllChecks(row.sessionId as string))
          row.results[r.stepId] = { passed: r.passed, message: r.message };
        row.passed = Object.values(row.results).filter((r) => r.passed).length;
      } catch (error) {
        row.error = errorMessage(error);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return { steps, rows };
}
