import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../server/store/migrations';
import { openDatabase } from '../../server/store/openDatabase';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

interface Pass {
  stepId: string;
  firstPassAt: number;
  lastPassAt: number;
  lastCheckAt: number;
}

/** Each class member's progress straight from every attempt: what learner_progress must always give. */
function fromAttempts(store: Store, classId: string): unknown[] {
  const out = new Map<string, { learnerId: string; lastAt: number; passes: Map<string, Pass>; tried: Set<string> }>();
  const lastCheck = new Map<string, number>();
  for (const a of store.attempts.listByClass(classId)) {
    const key = `${a.learnerId} ${a.stepId}`;
    lastCheck.set(key, Math.max(lastCheck.get(key) ?? a.at, a.at));
  }
  for (const a of store.attempts.listByClass(classId)) {
    const mine = out.get(a.learnerId) ?? {
      learnerId: a.learnerId,
      lastAt: a.at,
      passes: new Map<string, Pass>(),
      tried: new Set<string>(),
    };
    mine.lastAt = Math.max(mine.lastAt, a.at);
    mine.tried.add(a.stepId);
    const pass = mine.passes.get(a.stepId);
    if (a.passed)
      mine.passes.set(a.stepId, {
        stepId: a.stepId,
        firstPassAt: Math.min(pass?.firstPassAt ?? a.at, a.at),
        lastPassAt: Math.max(pass?.lastPassAt ?? a.at, a.at),
        lastCheckAt: lastCheck.get(`${a.learnerId} ${a.stepId}`) ?? a.at,
      });
    out.set(a.learnerId, mine);
  }
  return normalize(
    [...out.values()].map(({ tried, ...l }) => ({
      ...l,
      passes: [...l.passes.values()],
      triedOnly: [...tried].filter((step) => !l.passes.has(step)),
    })),
  );
}

const normalize = (rows: { learnerId: string; lastAt: number; passes: { stepId: string }[]; triedOnly: string[] }[]) =>
  [...rows]
    .sort((a, b) => a.learnerId.localeCompare(b.learnerId))
    .map((r) => ({
      ...r,
      passes: [...r.passes].sort((a, b) => a.stepId.localeCompare(b.stepId)),
      triedOnly: [...r.triedOnly].sort(),
    }));

function seed(store: Store): void {
  store.classes.create({
    id: 'class1',
    name: 'Monday',
    joinCode: 'ABCDEF',
    apiTokenHash: 'sha256:t',
    labId: 'lab',
    createdAt: 1,
  });
  for (const learner of ['ann', 'bo']) {
    store.learners.create({ id: learner, displayName: learner, classId: 'class1', createdAt: 2 });
    // Two labs each (a lab ended and started again): progress spans both.
    for (const lab of [`${learner}-1`, `${learner}-2`])
      store.labSessions.insert({
        id: lab,
        learnerId: learner,
        labId: 'lab',
        status: 'starting',
        createdAt: 3,
        lastActivity: 3,
      });
  }
  // A guest outside any class: their attempts belong to no class view.
  store.learners.ensure('guest', 'Guest', 2);
  store.labSessions.insert({
    id: 'guest-1',
    learnerId: 'guest',
    labId: 'lab',
    status: 'starting',
    createdAt: 3,
    lastActivity: 3,
  });
  // Out of order on purpose: a late pass must not move the first pass, an early one must.
  const attempts: [string, string, number, boolean][] = [
    ['ann-1', 'backup', 50, false],
    ['ann-1', 'backup', 40, true],
    ['ann-2', 'backup', 20, true],
    ['ann-2', 'backup', 90, true],
    ['ann-2', 'scan', 95, false],
    ['bo-1', 'scan', 10, false],
    ['bo-2', 'scan', 5, false],
    ['guest-1', 'scan', 7, true],
  ];
  for (const [labSessionId, stepId, at, passed] of attempts)
    store.attempts.record({ labSessionId, stepId, at, passed, message: '' });
}

describe('learner progress kept as attempts are recorded', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('equals the aggregate of every attempt, across a learner’s labs and out-of-order times', () => {
    const store = Store.open(temp.file);
    seed(store);
    expect(normalize(store.learnerProgress.listByClass('class1'))).toEqual(fromAttempts(store, 'class1'));
    expect(normalize(store.learnerProgress.listByClass('class1'))).toEqual([
      {
        learnerId: 'ann',
        lastAt: 95,
        passes: [{ stepId: 'backup', firstPassAt: 20, lastPassAt: 90, lastCheckAt: 90 }],
        triedOnly: ['scan'],
      },
      { learnerId: 'bo', lastAt: 10, passes: [], triedOnly: ['scan'] },
    ]);
    store.close();
  });

  it('is filled from the attempts a database already had when it upgrades', () => {
    // Before learner_progress, and so before the summaries built on it.
    const before = migrations.filter((m) => m.name !== 'learner-progress' && m.name !== 'class-summaries');
    const old = new Store(openDatabase(temp.file, before));
    seed(old);
    const expected = fromAttempts(old, 'class1');
    old.close();
    const upgraded = Store.open(temp.file);
    expect(normalize(upgraded.learnerProgress.listByClass('class1'))).toEqual(expected);
    upgraded.attempts.record({ labSessionId: 'bo-1', stepId: 'scan', at: 100, passed: true, message: '' });
    expect(normalize(upgraded.learnerProgress.listByClass('class1'))).toEqual(fromAttempts(upgraded, 'class1'));
    upgraded.close();
  });
});
