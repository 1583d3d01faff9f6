import { describe, expect, it } from 'vitest';
import { rosterProgress } from '../../../server/classroom/roster';
import type { StepProgress } from '../../../server/grading/progress';

/** A step passed at `lastPassAt`; its latest verdict at `lastAt` (a failure when later). */
const passed = (lastPassAt: number, lastAt = lastPassAt): StepProgress => ({
  tries: 1,
  firstPassAt: lastPassAt,
  lastPassAt,
  lastAt,
  lastPassed: lastAt === lastPassAt,
  lastMessage: '',
  passMessage: '',
});

const steps = [
  { id: 'backup', title: '' },
  { id: 'scan', title: '' },
];
const minute = 60_000;
const base = { steps, since: 0, labLive: true, stuckAfterMs: 10 * minute };

describe('roster progress', () => {
  it('the current step is the first one not passed', () => {
    const p = rosterProgress({ ...base, now: minute, progress: { backup: passed(30_000) } });
    expect(p).toMatchObject({ passed: ['backup'], currentStep: 'scan', stuck: false });
  });

  it('flags a learner stuck after N minutes on one step without a pass, counting from the last pass', () => {
    const progress = { backup: passed(5 * minute) };
    expect(rosterProgress({ ...base, now: 14 * minute, progress }).stuck).toBe(false);
    expect(rosterProgress({ ...base, now: 15 * minute, progress })).toMatchObject({
      stuck: true,
      onStepSince: 5 * minute,
    });
  });

  it('never flags a learner who finished, or whose lab is not running', () => {
    const all = Object.fromEntries(steps.map((s) => [s.id, passed(0)]));
    expect(rosterProgress({ ...base, now: 60 * minute, progress: all })).toMatchObject({
      currentStep: null,
      stuck: false,
      onStepSince: null,
    });
    expect(rosterProgress({ ...base, labLive: false, now: 60 * minute, progress: {} }).stuck).toBe(false);
  });

  it('marks a passed current step whose latest check failed as not holding now, never a latched one', () => {
    const withLatching = [
      { id: 'backup', title: '', latching: 'latch' as const },
      { id: 'scan', title: '', latching: 'current' as const },
    ];
    const progress = { backup: passed(10, 30), scan: passed(20, 40) };
    const p = rosterProgress({ ...base, steps: withLatching, now: minute, progress });
    expect(p).toMatchObject({ passed: ['backup', 'scan'], lapsed: ['scan'] });
    const holding = { backup: passed(10), scan: passed(20) };
    expect(rosterProgress({ ...base, steps: withLatching, now: minute, progress: holding }).lapsed).toEqual([]);
  });
});
