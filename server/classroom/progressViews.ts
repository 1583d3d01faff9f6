/** The class-wide figures the dashboard and the grades read from the learners' progress records. */
import type { Progress } from '../grading/progress';
import type { ProgressRef } from './grades';
import type { StatsInput } from './stepStats';

/** A learner's first pass per step, and their latest verdict. */
export function passesOf(progress: Progress): ProgressRef {
  const passes = Object.entries(progress.steps).flatMap(([stepId, step]) =>
    step.firstPassAt === null ? [] : [{ stepId, firstPassAt: step.firstPassAt }],
  );
  return { learnerId: progress.learnerId, lastAt: progress.lastAt ?? 0, passes };
}

/**
 * Where the class is stuck now: each learner's latest verdict on each step they tried, where it
 * failed, one learner each (their tries break ties between messages).
 */
export function failingNow(progress: readonly Progress[]): StatsInput['failures'] {
  return progress.flatMap((mine) =>
    Object.entries(mine.steps).flatMap(([stepId, step]) =>
      step.lastPassed ? [] : [{ stepId, message: step.lastMessage, learners: 1, attempts: step.tries }],
    ),
  );
}
