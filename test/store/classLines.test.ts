import { afterEach, describe, expect, it } from 'vitest';
import { seedClass } from '../../bench/class/seedClass';
import { classSnapshot, learnerLines } from '../../server/classroom/classSnapshot';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

describe('a dashboard line recomputed alone', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('equals the same learner’s line in the whole-class snapshot, and skips learners of other classes', () => {
    const store = Store.open(temp.file);
    const steps = [
      { id: 'backup', title: 'Back up' },
      { id: 'scan', title: 'Scan' },
      { id: 'icmp-off', title: 'ICMP off' },
    ];
    const { cls, learners } = seedClass(store, { learners: 4, attemptsEach: 20, labId: 'lab', steps });
    const deps = { store, sessions: new Map<string, never>(), steps: () => steps, stuckAfterMs: 600_000 };
    const now = Date.now();
    const whole = classSnapshot(deps, cls, now);
    expect(whole.learners.some((l) => l.passed.length > 0)).toBe(true);
    const ids = learners.map((l) => l.id);
    expect(learnerLines(deps, cls, [...ids, 'someone-else'], now)).toEqual(whole.learners);
    store.close();
  });
});
