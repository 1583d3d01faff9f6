import type { StepRef } from './grades';

/** Pure: one learner's line on the dashboard. */
export interface RosterInput {
  steps: readonly StepRef[];
  /** The learner's check attempts, any order. */
  attempts: readonly { stepId: string; at: number; passed: boolean }[];
  /** When the learner's current lab started (or they joined, if no lab yet). */
  since: number;
  labLive: boolean;
  now: number;
  stuckAfterMs: number;
}

export interface RosterProgress {
  passed: string[];
  /** The first step not yet passed; null when all are done. */
  currentStep: string | null;
  /** On the same step for `stuckAfterMs` without a pass, while the lab runs. */
  stuck: boolean;
  stuckForMs: number;
}

export function rosterProgress(input: RosterInput): RosterProgress {
  const known = new Set(input.steps.map((s) => s.id));
  const passed = new Set<string>();
  let lastPass = 0;
  for (const attempt of input.attempts) {
    if (!attempt.passed || !known.has(attempt.stepId)) continue;
    passed.add(attempt.stepId);
    lastPass = Math.max(lastPass, attempt.at);
  }
  const currentStep = input.steps.find((s) => !passed.has(s.id))?.id ?? null;
  const onStepSince = Math.max(input.since, lastPass);
  const stuckForMs = currentStep && input.labLive ? Math.max(0, input.now - onStepSince) : 0;
  return {
    passed: input.steps.filter((s) => passed.has(s.id)).map((s) => s.id),
    currentStep,
    stuck: stuckForMs >= input.stuckAfterMs && stuckForMs > 0,
    stuckForMs,
  };
}
