import { describe, expect, it } from 'vitest';
import {
  applyVerdict,
  currentStepIndex,
  emptyProgress,
  stepState,
  type CheckTrigger,
  type Progress,
} from '../../../server/grading/progress';

type Step = [stepId: string, at: number, passed: boolean, trigger?: CheckTrigger, message?: string];

/** Records each verdict in turn, as the one writer does; returns the progress and which were kept. */
function record(...verdicts: Step[]): { progress: Progress; kept: boolean[] } {
  let progress = emptyProgress('ann', 'lab');
  const kept: boolean[] = [];
  for (const [stepId, at, passed, trigger = 'check', message = passed ? 'ok' : 'not yet'] of verdicts) {
    const next = applyVerdict(progress, { stepId, at, passed, message, trigger });
    progress = next.progress;
    kept.push(next.keep);
  }
  return { progress, kept };
}

describe('the one progress writer (applyVerdict) and the state it gives the page and the dashboard', () => {
  it('a step nobody acted on is "not checked", with no entry: never tried', () => {
    const { progress } = record();
    expect(progress.steps).toEqual({});
    expect(stepState('latch', progress.steps.backup)).toMatchObject({ status: 'not-checked', attempts: 0 });
  });

  it('latch: a pass stays a pass after later failures, and shows the pass message', () => {
    const { progress } = record(['x', 1, false], ['x', 2, true, 'check', 'seen'], ['x', 3, false]);
    expect(stepState('latch', progress.steps.x)).toEqual({
      status: 'passed',
      message: 'seen',
      firstPassedAt: 2,
      attempts: 3,
    });
  });

  it('current: the latest verdict decides; a pass that stopped holding keeps its first-pass time', () => {
    const { progress } = record(['x', 1, true], ['x', 2, false, 'check', 'broken again']);
    expect(stepState('current', progress.steps.x)).toEqual({
      status: 'failed',
      message: 'broken again',
      firstPassedAt: 1,
      attempts: 2,
    });
    expect(progress.steps.x).toMatchObject({ firstPassAt: 1, lastPassAt: 1, lastAt: 2, lastPassed: false });
  });

  it('auto-check never judges a step not started: its failure there is not kept at all', () => {
    const { progress, kept } = record(['tour', 1, true, 'auto'], ['backup', 2, false, 'auto']);
    expect(kept).toEqual([true, false]);
    expect(Object.keys(progress.steps)).toEqual(['tour']);
    expect(stepState('latch', progress.steps.backup).status).toBe('not-checked');
  });

  it('auto-check may pass a step the learner never checked', () => {
    const { progress } = record(['backup', 5, true, 'auto']);
    expect(stepState('latch', progress.steps.backup)).toMatchObject({ status: 'passed', firstPassedAt: 5 });
  });

  it('after the learner’s own Check the step is theirs: auto-check failures there are kept, changes only', () => {
    const { progress, kept } = record(
      ['backup', 1, false, 'check', 'no file'],
      ['backup', 2, false, 'auto', 'no file'],
      ['backup', 3, false, 'auto', 'wrong date'],
    );
    expect(kept).toEqual([true, false, true]);
    expect(progress.steps.backup).toMatchObject({ tries: 2, lastMessage: 'wrong date', firstPassAt: null });
  });

  it('a grading run’s failure on a step never tried stays in the history but does not make it tried', () => {
    const { progress, kept } = record(['scan', 1, false, 'grade'], ['backup', 2, true, 'grade']);
    expect(kept).toEqual([true, true]);
    expect(Object.keys(progress.steps)).toEqual(['backup']);
    expect(progress.steps.backup?.tries).toBe(0);
  });

  it('a reset’s re-check updates a tried step without counting as a try', () => {
    const { progress } = record(['fix', 1, true], ['fix', 2, false, 'reset', 'gone after reset']);
    expect(stepState('current', progress.steps.fix)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('late verdicts never move the first pass later, nor the last pass earlier', () => {
    const { progress } = record(['x', 40, true], ['x', 20, true], ['x', 30, true]);
    expect(progress.steps.x).toMatchObject({ firstPassAt: 20, lastPassAt: 40 });
    expect(progress.lastAt).toBe(40);
  });

  it('the current step is the first one not passed', () => {
    const { progress } = record(['a', 1, true], ['b', 2, false], ['c', 3, true]);
    const states = ['a', 'b', 'c'].map((id) => stepState('latch', progress.steps[id]));
    expect(currentStepIndex(states)).toBe(1);
    expect(currentStepIndex([states[0]!, states[2]!])).toBe(2);
  });
});
