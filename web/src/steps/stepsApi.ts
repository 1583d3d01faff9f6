/** The grading API as the page uses it (see README "Grading API"). */
import type { CheckView, HintsView, StepsView } from '../../../protocol/stepsViews';
import { api } from '../api';

export type {
  CheckView as CheckJson,
  HintsView,
  StepStateView as StepStateJson,
  StepView as StepJson,
  StepsView as StepsJson,
} from '../../../protocol/stepsViews';

const base = (sessionId: string): string => `/api/sessions/${encodeURIComponent(sessionId)}`;

export const stepsApi = {
  list: (sessionId: string) => api<StepsView>(`${base(sessionId)}/steps`),
  // A check lost to the network is made again, as the learner would press Check again.
  check: (sessionId: string, stepId: string, answers: Record<string, string>) =>
    api<CheckView>(`${base(sessionId)}/steps/${stepId}/check`, { method: 'POST', body: { answers }, repeatable: true }),
  // Not repeatable: each one shows one more hint.
  hint: (sessionId: string, stepId: string) =>
    api<HintsView>(`${base(sessionId)}/steps/${stepId}/hints`, { method: 'POST' }),
  autoCheck: (sessionId: string, enabled: boolean) =>
    api<{ autoCheck: boolean }>(`${base(sessionId)}/auto-check`, {
      method: 'PUT',
      body: { enabled },
      repeatable: true,
    }),
};
