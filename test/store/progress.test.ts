import { afterEach, describe, expect, it } from 'vitest';
import type { CheckTrigger, Verdict } from '../../server/grading/progress';
import { InMemoryProgressStore } from '../../server/grading/ProgressStore';
import { migrations } from '../../server/store/migrations';
import { openDatabase } from '../../server/store/openDatabase';
import { recordAttempt } from '../../server/store/recordAttempt';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

const owners: Record<string, { learnerId: string; labId: string }> = {
  'ann-1': { learnerId: 'ann', labId: 'lab' },
  'ann-2': { learnerId: 'ann', labId: 'lab' },
  'ann-other': { learnerId: 'ann', labId: 'other-lab' },
  'bo-1': { learnerId: 'bo', labId: 'lab' },
};

function seed(store: Store): void {
  for (const learnerId of ['ann', 'bo']) store.learners.ensure(learnerId, learnerId, 1);
  for (const [id, { learnerId, labId }] of Object.entries(owners))
    store.labSessions.insert({ id, learnerId, labId, status: 'starting', createdAt: 2, lastActivity: 2 });
}

type Row = [session: string, stepId: string, at: number, passed: boolean, trigger: CheckTrigger, message?: string];
// Two sessions of one lab (progress spans both), another lab (its own progress), out-of-order
// times, auto-checks on steps never started, a grading run, and a reset's re-check.
const verdicts: Row[] = [
  ['ann-1', 'tour', 10, true, 'auto'],
  ['ann-1', 'backup', 11, false, 'auto'],
  ['ann-1', 'backup', 12, false, 'check', 'no file'],
  ['ann-1', 'backup', 13, false, 'auto', 'no file'],
  ['ann-2', 'backup', 9, true, 'check'],
  ['ann-2', 'fix', 20, true, 'check'],
  ['ann-2', 'fix', 21, false, 'reset', 'gone'],
  ['ann-2', 'scan', 22, false, 'grade'],
  ['ann-other', 'backup', 30, false, 'check'],
  ['bo-1', 'scan', 5, false, 'auto'],
];
const verdictOf = ([, stepId, at, passed, trigger, message]: Row): Verdict => ({
  stepId,
  at,
  passed,
  trigger,
  message: message ?? (passed ? 'ok' : 'not yet'),
});

describe('the one writer of progress, on a real database file', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('stores the attempt and the learner’s progress together, exactly as the in-memory store does', () => {
    const store = Store.open(temp.file);
    seed(store);
    const memory = new InMemoryProgressStore((id) => owners[id] ?? expect.fail(id));
    for (const row of verdicts) {
      const sqlite = recordAttempt(store, row[0], verdictOf(row));
      expect(sqlite).toEqual(memory.record(row[0], verdictOf(row)));
    }
    for (const id of Object.keys(owners)) {
      expect(store.progress.get(owners[id]!.learnerId, owners[id]!.labId)).toEqual(memory.forSession(id));
      expect(store.attempts.listByLearnerLab(id).map(({ id: _id, ...a }) => a)).toEqual(memory.attempts(id));
    }
    const ann = store.progress.get('ann', 'lab');
    expect(Object.keys(ann.steps).sort()).toEqual(['backup', 'fix', 'tour']);
    // The verdict recorded last decides, even with an earlier time.
    expect(ann.steps.backup).toMatchObject({ firstPassAt: 9, lastPassed: true, lastMessage: 'ok', tries: 2 });
    expect(store.progress.get('bo', 'lab').steps).toEqual({});
    // Ann's auto-check failure before she started "backup" and Bo's on "scan" were never stored.
    expect(store.attempts.listByLearnerLab('bo-1')).toEqual([]);
    expect(store.attempts.listByLearnerLab('ann-1').filter((a) => a.trigger === 'auto')).toHaveLength(1);
    store.close();
  });

  it('is all or nothing: when the progress cannot be written, the attempt is not stored either', () => {
    const store = Store.open(temp.file);
    seed(store);
    recordAttempt(store, 'ann-1', verdictOf(['ann-1', 'backup', 1, false, 'check']));
    store.db.prepare("UPDATE progress SET steps_json = '{broken' WHERE learner_id = 'ann'").run();
    expect(() => recordAttempt(store, 'ann-1', verdictOf(['ann-1', 'backup', 2, true, 'check']))).toThrow(
      'the stored progress of learner ann is unreadable',
    );
    expect(store.attempts.listByLearnerLab('ann-1')).toHaveLength(1);
    expect(recordAttempt(store, 'nobody', verdictOf(['x', 'backup', 2, true, 'check']))).toBeUndefined();
    store.close();
  });

  it('is back-filled from the attempts of a database from before the progress record, and no trigger computes it', () => {
    const old = new Store(
      openDatabase(
        temp.file,
        migrations.filter((m) => m.name !== 'one-progress-record'),
      ),
    );
    seed(old);
    for (const row of verdicts) old.attempts.record({ sessionId: row[0], ...verdictOf(row) });
    old.close();
    const upgraded = Store.open(temp.file);
    const memory = new InMemoryProgressStore((id) => owners[id] ?? expect.fail(id));
    for (const row of [...verdicts].sort((a, b) => a[2] - b[2])) memory.record(row[0], verdictOf(row));
    for (const id of Object.keys(owners))
      expect(upgraded.progress.get(owners[id]!.learnerId, owners[id]!.labId)).toEqual(memory.forSession(id));
    // The only trigger left deletes a session's journal with it; none reads or writes progress.
    const triggers = upgraded.db
      .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
      .all();
    expect(triggers.map((t) => t.name)).toEqual(['journal_events_follow_lab_session']);
    expect(triggers.filter((t) => /progress|attempt/i.test(t.sql))).toEqual([]);
    upgraded.close();
  });
});
