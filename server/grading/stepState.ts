/** A step's state from its attempts, following its latching rule. Pure, so it is unit-tested. */
import type { Latching } from '../../labkit/types';
import type { AttemptRecord } from './AttemptStore';

export type StepStatus = 'not-checked' | 'passed' | 'failed';

export interface StepState {
  status: StepStatus;
  /** Message of the attempt that decides the status (the latest one, or the pass that latched). */
  message: string | undefined;
  /** When the step was first passed, epoch ms. */
  firstPassedAt: number | undefined;
  attempts: number;
}

export function stepState(latching: Latching, attempts: readonly AttemptRecord[]): StepState {
  const firstPass = attempts.find((a) => a.passed);
  const latest = attempts[attempts.length - 1];
  const base = { firstPassedAt: firstPass?.at, attempts: attempts.length };
  if (!latest) return { ...base, status: 'not-checked', message: undefined };
  if (latching === 'latch' && firstPass) {
    // A later failure does not undo a latched pass; still show the pass's message.
    return { ...base, status: 'passed', message: latest.passed ? latest.message : firstPass.message };
  }
  return { ...base, status: latest.passed ? 'passed' : 'failed', message: latest.message };
}

/** The step auto-check works on: the first one in order that is not passed. */
export function currentStepIndex(states: readonly StepState[]): number {
  const i = states.findIndex((s) => s.status !== 'passed');
  return i < 0 ? states.length : i;
}
