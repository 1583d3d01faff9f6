/** What the grading API sends (README "Grading API"). */

export interface StepStateView {
  status: 'not-checked' | 'passed' | 'failed';
  message?: string | undefined;
  firstPassedAt?: number | undefined;
  attempts: number;
}

export interface StepView {
  id: string;
  number: number;
  title: string;
  latching: 'latch' | 'current';
  instructions: string;
  questions: { id: string; prompt: string }[];
  answers: Record<string, string>;
  hintsAvailable: number;
  hints: string[];
  state: StepStateView;
}

/** GET /api/sessions/:id/steps */
export interface StepsView {
  labId: string;
  title: string;
  intro: string;
  autoCheck: boolean;
  currentStep: string | null;
  passed: number;
  steps: StepView[];
}

/** What started a check: the learner's Check button, auto-check, a reset's re-check, or a grading run. */
export type CheckTrigger = 'check' | 'auto' | 'grade' | 'reset';
export const CHECK_TRIGGERS: readonly CheckTrigger[] = ['check', 'auto', 'grade', 'reset'];

/** POST /api/sessions/:id/steps/:stepId/check */
export interface CheckView {
  stepId: string;
  passed: boolean;
  message: string;
  at: number;
  trigger: CheckTrigger;
  state: StepStateView;
}

/** POST /api/sessions/:id/steps/:stepId/hints */
export interface HintsView {
  stepId: string;
  hints: string[];
  hintsAvailable: number;
}
