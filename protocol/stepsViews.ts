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

/** POST /api/sessions/:id/steps/:stepId/check */
export interface CheckView {
  stepId: string;
  passed: boolean;
  message: string;
  at: number;
  trigger: 'check' | 'auto' | 'grade' | 'reset';
  state: StepStateView;
}

/** POST /api/sessions/:id/steps/:stepId/hints */
export interface HintsView {
  stepId: string;
  hints: string[];
  hintsAvailable: number;
}
