/** What one recorded check is; Node-free, so the dashboard page shares it (classViews.ts). */
export type AttemptTrigger = 'check' | 'auto' | 'grade' | 'reset';

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
