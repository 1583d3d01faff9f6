import type { StepRef } from './grades';

/** A step the learner has passed, and when last (from the store's learner_progress). */
export interface StepStanding {
  stepId: string;
  lastPassAt: number;
  /** The latest check of the step, passed or not. */
  lastCheckAt?: number;
}

/** Pure: one learner's line on the dashboard. */
export interface RosterInput {
  steps: readonly StepRef[];
  /** The steps the learner has passed, any order. */
  passes: readonly StepStanding[];
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
  /** Since when the learner has been on the current step (while the lab runs); null otherwise. */
  onStepSince: number | null;
  /**
   * Passed 'current' steps whose latest check failed: passed before, not holding now. They still
   * count as passed, as on the learner's page, which says the same.
   */
  lapsed: string[];
}

export function rosterProgress(input: RosterInput): RosterProgress {
  const known = new Map(input.steps.map((s) => [s.id, s]));
  const passed = new Set<string>();
  const lapsed = new Set<string>();
  let lastPass = 0;
  for (const pass of input.passes) {
    const step = known.get(pass.stepId);
    if (!step) continue;
    passed.add(pass.stepId);
    lastPass = Math.max(lastPass, pass.lastPassAt);
    if (step.latching === 'current' && (pass.lastCheckAt ?? 0) > pass.lastPassAt) lapsed.add(pass.stepId);
  }
  const currentStep = input.steps.find((s) => !passed.has(s.id))?.id ?? null;
  const onStepSince = currentStep && input.labLive ? Math.max(input.since, lastPass) : null;
  const stuckForMs = onStepSince === null ? 0 : Math.max(0, input.now - onStepSince);
  return {
    passed: input.steps.filter((s) => passed.has(s.id)).map((s) => s.id),
    currentStep,
    stuck: stuckForMs >= input.stuckAfterMs && stuckForMs > 0,
    stuckForMs,
    onStepSince,
    lapsed: input.steps.filter((s) => lapsed.has(s.id)).map((s) => s.id),
  };
}
