/**
 * Progress: the one record per learner and lab of which steps passed and which were tried. Every
 * verdict goes through `applyVerdict`, the only place that decides what a check changes, so the
 * learner's page, the dashboard, the grades and `npm run grade` cannot disagree. Pure and
 * Node-free: the SQLite writer, the in-memory store and the migration's back-fill all call it.
 */

import type { CheckTrigger } from '../../protocol/stepsViews';

export type { CheckTrigger } from '../../protocol/stepsViews';

/** One verdict about to be recorded. */
export interface Verdict {
  stepId: string;
  /** Epoch milliseconds. */
  at: number;
  passed: boolean;
  message: string;
  trigger: CheckTrigger;
}

/**
 * One step of a learner's progress. A step has an entry once the learner acted on it: they
 * pressed Check on it, or a check (of any kind) passed it. From then on it is "tried", and
 * every verdict on it updates the entry.
 */
export interface StepProgress {
  /** Verdicts counted for the learner: their own Checks and auto-checks (passes of any kind too). */
  tries: number;
  firstPassAt: number | null;
  lastPassAt: number | null;
  /** The latest verdict on the step, passed or not. */
  lastAt: number;
  lastPassed: boolean;
  lastMessage: string;
  /** The first pass's message: a latched step shows it after a later failure. */
  passMessage: string | null;
}

export interface Progress {
  learnerId: string;
  labId: string;
  /** By step id; a step without an entry was never tried. */
  steps: Readonly<Record<string, StepProgress>>;
  /** The latest verdict on any step; null when there is none. */
  lastAt: number | null;
}

export const emptyProgress = (learnerId: string, labId: string): Progress => ({
  learnerId,
  labId,
  steps: {},
  lastAt: null,
});

/**
 * What a verdict does:
 *   progress  the record after it (the same object when nothing changed)
 *   keep      whether the attempt belongs in the history of checks at all
 *
 * - A pass always counts, whatever started the check: auto-check may pass any step.
 * - The learner's own Check always counts: the step is now tried.
 * - Any other failure counts only on a step the learner already acted on ("working on": it has
 *   an entry, i.e. they pressed Check on it, or it passed before). Auto-check never judges a
 *   step not started: its failure there is not kept at all. A grading run's failure there is
 *   kept in the history (the instructor ran it) but does not make the step tried.
 * - Auto-check and a reset's re-check keep only a change: the same verdict again is not kept,
 *   so the history is not flooded after every command.
 */
export function applyVerdict(progress: Progress, verdict: Verdict): { progress: Progress; keep: boolean } {
  const before = progress.steps[verdict.stepId];
  const background = verdict.trigger === 'auto' || verdict.trigger === 'reset';
  if (!verdict.passed && !before && verdict.trigger !== 'check') return { progress, keep: verdict.trigger === 'grade' };
  if (background && before?.lastPassed === verdict.passed && before.lastMessage === verdict.message)
    return { progress, keep: false };
  const counted = verdict.trigger === 'check' || verdict.trigger === 'auto';
  const step: StepProgress = {
    tries: (before?.tries ?? 0) + (counted ? 1 : 0),
    firstPassAt: verdict.passed
      ? Math.min(before?.firstPassAt ?? verdict.at, verdict.at)
      : (before?.firstPassAt ?? null),
    lastPassAt: verdict.passed ? Math.max(before?.lastPassAt ?? verdict.at, verdict.at) : (before?.lastPassAt ?? null),
    lastAt: verdict.at,
    lastPassed: verdict.passed,
    lastMessage: verdict.message,
    passMessage: before?.passMessage ?? (verdict.passed ? verdict.message : null),
  };
  return {
    progress: {
      ...progress,
      steps: { ...progress.steps, [verdict.stepId]: step },
      lastAt: Math.max(progress.lastAt ?? verdict.at, verdict.at),
    },
    keep: true,
  };
}

export type Latching = 'latch' | 'current';

/** How a step stands for the learner's page and the dashboard alike. */
export interface StepState {
  status: 'not-checked' | 'passed' | 'failed';
  /** The message that decides the status (the latest one, or the pass that latched). */
  message: string | undefined;
  /** When the step was first passed, epoch ms. */
  firstPassedAt: number | undefined;
  attempts: number;
}

/**
 * The step's state by its latching rule: a latched step stays passed after its first pass; a
 * 'current' one is as its latest verdict says ("passed before, not holding now" when it failed
 * after a pass: status 'failed' with firstPassedAt set).
 */
export function stepState(latching: Latching, step: StepProgress | undefined): StepState {
  if (!step) return { status: 'not-checked', message: undefined, firstPassedAt: undefined, attempts: 0 };
  const base = { firstPassedAt: step.firstPassAt ?? undefined, attempts: step.tries };
  if (latching === 'latch' && step.firstPassAt !== null)
    return { ...base, status: 'passed', message: step.lastPassed ? step.lastMessage : (step.passMessage ?? '') };
  return { ...base, status: step.lastPassed ? 'passed' : 'failed', message: step.lastMessage };
}

/** The step auto-check works on and the page highlights: the first one in order that is not passed. */
export function currentStepIndex(states: readonly StepState[]): number {
  const i = states.findIndex((s) => s.status !== 'passed');
  return i < 0 ? states.length : i;
}
