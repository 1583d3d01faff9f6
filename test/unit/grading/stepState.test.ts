import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../../server/grading/AttemptStore';
import { currentStepIndex, stepState } from '../../../server/grading/stepState';

const attempt = (at: number, passed: boolean, message = passed ? 'ok' : 'not yet'): AttemptRecord => ({
  labSessionId: 's',
  stepId: 'x',
  at,
  passed,
  message,
});

describe('step state', () => {
  it('is "not checked" without attempts', () => {
    expect(stepState('latch', [])).toMatchObject({ status: 'not-checked', attempts: 0 });
  });

  it('latches: a pass stays a pass after later failures, with the pass message', () => {
    expect(stepState('latch', [attempt(1, false), attempt(2, true, 'seen'), attempt(3, false)])).toMatchObject({
      status: 'passed',
      message: 'seen',
      firstPassedAt: 2,
      attempts: 3,
    });
  });

  it('current: the latest attempt decides', () => {
    expect(stepState('current', [attempt(1, true), attempt(2, false, 'broken again')])).toMatchObject({
      status: 'failed',
      message: 'broken again',
      firstPassedAt: 1,
    });
  });

  it('the current step is the first one not passed', () => {
    const passed = stepState('latch', [attempt(1, true)]);
    const failed = stepState('latch', [attempt(1, false)]);
    expect(currentStepIndex([passed, failed, passed])).toBe(1);
    expect(currentStepIndex([passed, passed])).toBe(2);
  });
});
