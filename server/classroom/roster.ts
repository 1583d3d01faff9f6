import { stepState, type Progress } from '../grading/progress';
import type { StepRef } from './grades';

/** Pure: one learner's line on the dashboard. */
export interface RosterInput {
  steps: readonly StepRef[];
  /** The learner's progress record's steps. */
  progress: Progress['steps'];
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
  for (const [stepId, mine] of Object.entries(input.progress)) {
    const step = known.get(stepId);
    if (!step || mine.lastPassAt === null) continue;
    passed.add(stepId);
    lastPass = Math.max(lastPass, mine.lastPassAt);
    // The page's own rule: a passed step whose state is not 'passed' does not hold now.
    if (stepState(step.latching ?? 'latch', mine).status !== 'passed') lapsed.add(stepId);
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
