import { afterEach, describe, expect, it } from 'vitest';
import { classGrades } from '../../server/classroom/classSnapshot';
import type { LabSessions } from '../../server/sessions/LabSessions';
import { recordAttempt } from '../../server/store/recordAttempt';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

type Live = ReturnType<LabSessions['get']>;

describe('a class’s grades, from a real database file', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('take each learner’s last activity from all their labs, of any lab, stored or live, and their checks', () => {
    const store = Store.open(temp.file);
    store.classes.create({
      id: 'c1',
      name: 'Mon',
      joinCode: 'ABCDEFGH',
      apiTokenHash: 'sha256:t',
      labId: 'lab',
      createdAt: 0,
    });
    for (const id of ['ann', 'bo', 'cy']) store.learners.create({ id, displayName: id, classId: 'c1', createdAt: 1 });
    store.learners.create({ id: 'other', displayName: 'other', classId: null, createdAt: 1 });
    const lab = (id: string, learnerId: string, labId: string, lastActivity: number) =>
      store.labSessions.insert({ id, learnerId, labId, status: 'starting', createdAt: 2, lastActivity });
    lab('ann-1', 'ann', 'lab', 50);
    lab('ann-2', 'ann', 'another-lab', 70);
    lab('bo-1', 'bo', 'lab', 10);
    lab('other-1', 'other', 'lab', 99);
    recordAttempt(store, 'bo-1', { stepId: 'backup', at: 30, passed: true, message: '', trigger: 'check' });
    // Bo's lab is running: its activity in memory is newer than the stored one.
    const live = new Map([['bo-1', { lastActivityAt: 40 } as Live]]);
    const { rows } = classGrades(
      { store, sessions: { get: (id) => live.get(id) }, steps: () => [{ id: 'backup', title: 'Back up' }] },
      store.classes.get('c1') ?? expect.fail('no class'),
    );
    expect(rows.map((r) => [r.learnerId, r.lastActivity, r.firstPass])).toEqual([
      ['ann', 70, { backup: null }],
      ['bo', 40, { backup: 30 }],
      ['cy', null, { backup: null }],
    ]);
    store.close();
  });
});
