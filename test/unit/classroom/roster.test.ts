import { describe, expect, it } from 'vitest';
import { rosterProgress } from '../../../server/classroom/roster';

const steps = [
  { id: 'backup', title: '' },
  { id: 'scan', title: '' },
];
const minute = 60_000;
const base = { steps, since: 0, labLive: true, stuckAfterMs: 10 * minute };

describe('roster progress', () => {
  it('the current step is the first one not passed', () => {
    const p = rosterProgress({ ...base, now: minute, passes: [{ stepId: 'backup', lastPassAt: 30_000 }] });
    expect(p).toMatchObject({ passed: ['backup'], currentStep: 'scan', stuck: false });
  });

  it('flags a learner stuck after N minutes on one step without a pass, counting from the last pass', () => {
    const passes = [{ stepId: 'backup', lastPassAt: 5 * minute }];
    expect(rosterProgress({ ...base, now: 14 * minute, passes }).stuck).toBe(false);
    expect(rosterProgress({ ...base, now: 15 * minute, passes })).toMatchObject({
      stuck: true,
      onStepSince: 5 * minute,
    });
  });

  it('never flags a learner who finished, or whose lab is not running', () => {
    const all = steps.map((s) => ({ stepId: s.id, lastPassAt: 0 }));
    expect(rosterProgress({ ...base, now: 60 * minute, passes: all })).toMatchObject({
      currentStep: null,
      stuck: false,
      onStepSince: null,
    });
    expect(rosterProgress({ ...base, labLive: false, now: 60 * minute, passes: [] }).stuck).toBe(false);
  });

  it('marks a passed current step whose latest check failed as not holding now, never a latched one', () => {
    const withLatching = [
      { id: 'backup', title: '', latching: 'latch' as const },
      { id: 'scan', title: '', latching: 'current' as const },
    ];
    const passes = [
      { stepId: 'backup', lastPassAt: 10, lastCheckAt: 30 },
      { stepId: 'scan', lastPassAt: 20, lastCheckAt: 40 },
    ];
    const p = rosterProgress({ ...base, steps: withLatching, now: minute, passes });
    expect(p).toMatchObject({ passed: ['backup', 'scan'], lapsed: ['scan'] });
    const holding = passes.map((x) => ({ ...x, lastCheckAt: x.lastPassAt }));
    expect(rosterProgress({ ...base, steps: withLatching, now: minute, passes: holding }).lapsed).toEqual([]);
  });
});
