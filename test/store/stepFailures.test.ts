import { afterEach, describe, expect, it } from 'vitest';
import { classSnapshot } from '../../server/classroom/classSnapshot';
import { recordAttempt } from '../../server/store/recordAttempt';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

const steps = [
  { id: 'backup', title: 'Back up' },
  { id: 'scan', title: 'Scan' },
];

function seed(store: Store): void {
  store.classes.create({
    id: 'c1',
    name: 'Monday',
    joinCode: 'ABCDEFGH',
    apiTokenHash: 'sha256:t',
    labId: 'lab',
    createdAt: 0,
  });
  for (const learner of ['ann', 'bo', 'cy']) {
    store.learners.create({ id: learner, displayName: learner, classId: 'c1', createdAt: 0 });
    store.labSessions.insert({
      id: `${learner}-1`,
      learnerId: learner,
      labId: 'lab',
      status: 'starting',
      createdAt: 0,
      lastActivity: 0,
    });
  }
  // A guest outside the class: their failures are no class's business.
  store.learners.ensure('guest', 'Guest', 0);
  store.labSessions.insert({
    id: 'guest-1',
    learnerId: 'guest',
    labId: 'lab',
    status: 'starting',
    createdAt: 0,
    lastActivity: 0,
  });
  const attempts: [string, string, number, boolean, string][] = [
    ['ann-1', 'backup', 60_000, false, 'No backup yet'],
    ['ann-1', 'backup', 61_000, false, 'No backup yet'],
    ['ann-1', 'backup', 120_000, true, 'Backed up'],
    ['bo-1', 'backup', 60_000, false, 'No backup yet'],
    ['bo-1', 'backup', 360_000, true, 'Backed up'],
    ['cy-1', 'backup', 30_000, false, 'Wrong date'],
    ['cy-1', 'backup', 31_000, false, 'Wrong date'],
    ['cy-1', 'backup', 32_000, false, 'Wrong date'],
    ['bo-1', 'scan', 400_000, false, 'No scan'],
    ['guest-1', 'scan', 1, false, 'Guest failure'],
    ['guest-1', 'scan', 2, false, 'Guest failure'],
  ];
  for (const [sessionId, stepId, at, passed, message] of attempts)
    recordAttempt(store, sessionId, { stepId, at, passed, message, trigger: 'check' });
}

describe('per-step statistics of a class, from a real database file', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  const deps = (store: Store) => ({
    store,
    sessions: new Map<string, never>(),
    steps: () => steps,
    stuckAfterMs: 600_000,
  });

  it('name where the class is stuck now, and the snapshot carries the statistics', () => {
    const store = Store.open(temp.file);
    seed(store);
    const cls = store.classes.get('c1');
    if (!cls) throw new Error('no class');
    const snap = classSnapshot(deps(store), cls);
    expect(snap.stepStats).toEqual([
      // Ann 2 min, Bo 6 min after joining: the median of two is their mean. Cy is still failing.
      { stepId: 'backup', passed: 2, medianMsToPass: 240_000, topFailure: { message: 'Wrong date', learners: 1 } },
      { stepId: 'scan', passed: 0, medianMsToPass: null, topFailure: { message: 'No scan', learners: 1 } },
    ]);
    // The matrix's three states: passed, tried and failed, never tried.
    const bo = snap.learners.find((l) => l.id === 'bo');
    expect(bo).toMatchObject({ passed: ['backup'], failed: ['scan'] });
    expect(snap.learners.find((l) => l.id === 'cy')).toMatchObject({ passed: [], failed: ['backup'] });
    expect(snap.learners.find((l) => l.id === 'ann')).toMatchObject({ passed: ['backup'], failed: [] });
    store.close();
  });

  it('never count an auto-check failure on a step nobody started', () => {
    const store = Store.open(temp.file);
    seed(store);
    for (const learner of ['ann', 'cy'])
      recordAttempt(store, `${learner}-1`, {
        stepId: 'scan',
        at: 500_000,
        passed: false,
        message: 'Not started',
        trigger: 'auto',
      });
    const snap = classSnapshot(deps(store), store.classes.get('c1') ?? expect.fail('no class'));
    expect(snap.stepStats.find((s) => s.stepId === 'scan')?.topFailure).toEqual({ message: 'No scan', learners: 1 });
    expect(snap.learners.find((l) => l.id === 'ann')).toMatchObject({ failed: [] });
    store.close();
  });
});
