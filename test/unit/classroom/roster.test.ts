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
    const p = rosterProgress({ ...base, now: minute, attempts: [{ stepId: 'backup', at: 30_000, passed: true }] });
    expect(p).toMatchObject({ passed: ['backup'], currentStep: 'scan', stuck: false });
  });

  it('flags a learner stuck after N minutes on one step without a pass, counting from the last pass', () => {
    const attempts = [
      { stepId: 'backup', at: 5 * minute, passed: true },
      { stepId: 'scan', at: 12 * minute, passed: false },
    ];
    expect(rosterProgress({ ...base, now: 14 * minute, attempts }).stuck).toBe(false);
    expect(rosterProgress({ ...base, now: 15 * minute, attempts }).stuck).toBe(true);
  });

  it('never flags a learner who finished, or whose lab is not running', () => {
    const all = steps.map((s) => ({ stepId: s.id, at: 0, passed: true }));
    expect(rosterProgress({ ...base, now: 60 * minute, attempts: all })).toMatchObject({
      currentStep: null,
      stuck: false,
    });
    expect(rosterProgress({ ...base, labLive: false, now: 60 * minute, attempts: [] }).stuck).toBe(false);
  });
});
