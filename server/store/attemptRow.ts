/** What one recorded check is; Node-free, so the dashboard page shares it (classViews.ts). */
import type { AttemptTrigger } from '../grading/progress';

export type { AttemptTrigger } from '../grading/progress';

/** One check of one step: a press of "Check", a background auto-check, a reset or a grading run. */
export interface AttemptRow {
  id: number;
  labSessionId: string;
  stepId: string;
  at: number;
  passed: boolean;
  message: string;
  trigger: AttemptTrigger;
}
