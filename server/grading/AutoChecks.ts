import { errorMessage } from '../log/errorMessage';
import type { LabModule, LabStep } from '../../labkit/types';
import type { StepState } from './progress';
import type { Log } from '../log/Log';

export interface AutoCheckOptions {
  /** Whether the session's learner has auto-check on. */
  enabled: (sessionId: string) => boolean;
  /**
   * Runs the session's auto-check in its turn; calls `started` once it reads the machines,
   * after which a finished command asks for a check of its own.
   */
  run: (sessionId: string, finishedAt: number, started: () => void) => Promise<void>;
  /** Wait after a finished command before its auto-check is asked for (0: none). */
  settleMs: number;
  log?: Log;
}

/**
 * When auto-checks are asked for. They coalesce: while one waits to start, further commands add
 * nothing (it reads the machines when it starts); one finishing while a check runs asks for
 * exactly one more.
 */
export class AutoChecks {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Sessions with an auto-check asked for and not started yet. */
  private readonly waiting = new Set<string>();

  constructor(private readonly options: AutoCheckOptions) {}

  /** A learner finished a command in one of the session's terminals (at `finishedAt`, epoch ms). */
  commandFinished(sessionId: string, finishedAt: number): void {
    if (!this.options.enabled(sessionId)) return;
    // One is waiting to start: it will read the machines after this command, so it covers it.
    if (this.waiting.has(sessionId) || this.timers.has(sessionId)) return;
    const ask = (): void => {
      this.timers.delete(sessionId);
      this.waiting.add(sessionId);
      const started = (): void => void this.waiting.delete(sessionId);
      void this.options
        .run(sessionId, finishedAt, started)
        .catch((error: unknown) => this.options.log?.(`auto-check failed: ${errorMessage(error)}`));
    };
    if (this.options.settleMs <= 0) return ask();
    const timer = setTimeout(ask, this.options.settleMs);
    timer.unref();
    this.timers.set(sessionId, timer);
  }

  forget(sessionId: string): void {
    clearTimeout(this.timers.get(sessionId));
    this.timers.delete(sessionId);
    this.waiting.delete(sessionId);
  }
}

/**
 * The step an auto-check checks: the first still open, passing over question steps that wait for
 * their answers. Those cannot pass in the background, and a learner who does the work before
 * answering them should still see progress.
 */
export function autoCheckStep(
  lab: LabModule,
  states: readonly StepState[],
  answersOf: (stepId: string) => Readonly<Record<string, unknown>>,
): LabStep | undefined {
  const awaitsAnswers = (step: LabStep): boolean => step.questions?.some((q) => !answersOf(step.id)[q.id]) ?? false;
  return lab.steps.find((s, i) => states[i]?.status !== 'passed' && !awaitsAnswers(s));
}
