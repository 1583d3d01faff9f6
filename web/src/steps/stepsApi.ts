/** The grading API as the page uses it (see README "Grading API"). */
import { api } from '../api';

export interface StepStateJson {
  status: 'not-checked' | 'passed' | 'failed';
  message?: string;
  firstPassedAt?: number;
  attempts: number;
}

export interface StepJson {
  id: string;
  number: number;
  title: string;
  latching: 'latch' | 'current';
  instructions: string;
  questions: { id: string; prompt: string }[];
  answers: Record<string, string>;
  hintsAvailable: number;
  hints: string[];
  state: StepStateJson;
}

export interface StepsJson {
  intro: string;
  autoCheck: boolean;
  currentStep: string | null;
  passed: number;
  steps: StepJson[];
}

export interface CheckJson {
  stepId: string;
  passed: boolean;
  message: string;
  state: StepStateJson;
}

const base = (sessionId: string): string => `/api/sessions/${encodeURIComponent(sessionId)}`;

export const stepsApi = {
  list: (sessionId: string) => api<StepsJson>(`${base(sessionId)}/steps`),
  check: (sessionId: string, stepId: string, answers: Record<string, string>) =>
    api<CheckJson>(`${base(sessionId)}/steps/${stepId}/check`, { method: 'POST', body: { answers } }),
  hint: (sessionId: string, stepId: string) =>
    api<{ hints: string[]; hintsAvailable: number }>(`${base(sessionId)}/steps/${stepId}/hints`, { method: 'POST' }),
  autoCheck: (sessionId: string, enabled: boolean) =>
    api<{ autoCheck: boolean }>(`${base(sessionId)}/auto-check`, { method: 'PUT', body: { enabled } }),
};
