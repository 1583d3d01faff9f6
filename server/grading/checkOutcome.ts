import type { CheckResult, LabStep } from '../../labkit/types';
import { stepState, type CheckTrigger, type StepState } from './progress';
import type { ProgressStore } from './ProgressStore';

export interface CheckOutcome {
  stepId: string;
  passed: boolean;
  message: string;
  /** When the check began (before its first read or probe) and when its verdict came. */
  startedAt: number;
  at: number;
  trigger: CheckTrigger;
  /** The step's state after this attempt (latching applied). */
  state: StepState;
  /** Whether the verdict was kept in the learner's progress and history (see applyVerdict). */
  recorded: boolean;
}

/** One check as it ran: its verdict, whether anybody was shown it, and from when until when it probed. */
export interface CheckRan {
  stepId: string;
  passed: boolean;
  message: string;
  startedAt: number;
  at: number;
  shown: boolean;
}

/** A checker's result as the session's verdict on the step, stored unless it could not find out. */
export function recordOutcome(
  store: ProgressStore,
  sessionId: string,
  step: LabStep,
  result: CheckResult,
  trigger: CheckTrigger,
  startedAt: number,
): CheckOutcome {
  const verdict = { stepId: step.id, at: Date.now(), passed: result.passed, message: result.message, trigger };
  // A check that could not find out says so, but is no attempt: it is nobody's failure.
  const { progress, kept } = result.inconclusive
    ? { progress: store.forSession(sessionId), kept: false }
    : store.record(sessionId, verdict);
  const state = stepState(step.latching, progress.steps[step.id]);
  return { ...verdict, startedAt, state, recorded: kept };
}
