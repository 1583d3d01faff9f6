import { afterEach, describe, expect, it } from 'vitest';
import { classSnapshot } from '../../server/classroom/classSnapshot';
import { migrations } from '../../server/store/migrations';
import { openDatabase } from '../../server/store/openDatabase';
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
  for (const [labSessionId, stepId, at, passed, message] of attempts)
    store.attempts.record({ labSessionId, stepId, at, passed, message });
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

  it('counts failure messages per class member as attempts are recorded, and the snapshot carries the statistics', () => {
    const store = Store.open(temp.file);
    seed(store);
    expect(store.stepFailures.listByClass('c1')).toEqual(
      expect.arrayContaining([
        { stepId: 'backup', message: 'No backup yet', learners: 2, attempts: 3 },
        { stepId: 'backup', message: 'Wrong date', learners: 1, attempts: 3 },
        { stepId: 'scan', message: 'No scan', learners: 1, attempts: 1 },
      ]),
    );
    expect(store.stepFailures.listByClass('c1')).toHaveLength(3);
    const cls = store.classes.get('c1');
    if (!cls) throw new Error('no class');
    const snap = classSnapshot(deps(store), cls);
    expect(snap.stepStats).toEqual([
      // Ann 2 min, Bo 6 min after joining: the median of two is their mean.
      { stepId: 'backup', passed: 2, medianMsToPass: 240_000, topFailure: { message: 'No backup yet', learners: 2 } },
      { stepId: 'scan', passed: 0, medianMsToPass: null, topFailure: { message: 'No scan', learners: 1 } },
    ]);
    // The matrix's three states: passed, tried and failed, never tried.
    const bo = snap.learners.find((l) => l.id === 'bo');
    expect(bo).toMatchObject({ passed: ['backup'], failed: ['scan'] });
    expect(snap.learners.find((l) => l.id === 'cy')).toMatchObject({ passed: [], failed: ['backup'] });
    expect(snap.learners.find((l) => l.id === 'ann')).toMatchObject({ passed: ['backup'], failed: [] });
    store.close();
  });

  it('is filled from the attempts a database already had when it upgrades', () => {
    const old = new Store(
      openDatabase(
        temp.file,
        // Before step_failures, and so before the counts built on it.
        migrations.filter((m) => m.name !== 'step-failures' && m.name !== 'class-summaries'),
      ),
    );
    seed(old);
    old.close();
    const upgraded = Store.open(temp.file);
    expect(upgraded.stepFailures.listByClass('c1')).toHaveLength(3);
    upgraded.attempts.record({
      labSessionId: 'cy-1',
      stepId: 'backup',
      at: 40_000,
      passed: false,
      message: 'No backup yet',
    });
    expect(upgraded.stepFailures.listByClass('c1')).toContainEqual({
      stepId: 'backup',
      message: 'No backup yet',
      learners: 3,
      attempts: 4,
    });
    upgraded.close();
  });
});
