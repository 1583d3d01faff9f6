/** One step's checker against the machines, within its time limit: never a learner's error when it cannot finish. */
import { errorMessage } from '../log/errorMessage';
import { inconclusive, type CheckContext, type CheckResult, type LabStep } from '../../labkit/types';
import type { Log } from '../log/Log';

/**
 * `settled` is told when the checker itself has finished, which is after the verdict when it ran
 * past its limit: its probes may cross the bridges until then.
 */
export async function runChecker(
  step: LabStep,
  ctx: CheckContext,
  limitMs: number,
  log?: Log,
  settled?: () => void,
): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(inconclusive('The check took too long to finish (the host is busy); please try again in a moment.')),
      limitMs,
    );
  });
  return Promise.race([
    step
      .check(ctx)
      .catch((error: unknown) => {
        log?.(`check ${step.id} failed: ${errorMessage(error)}`);
        return inconclusive(
          'The check could not inspect the machines (are they still running?). Try again in a moment.',
        );
      })
      .finally(settled),
    timeout,
  ]).finally(() => clearTimeout(timer));
}
