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
});
