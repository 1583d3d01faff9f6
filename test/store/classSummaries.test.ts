import { afterEach, describe, expect, it } from 'vitest';
import { recordAttempt } from '../../server/store/recordAttempt';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

function seedClass(store: Store): void {
  store.classes.create({
    id: 'c1',
    name: 'Monday',
    joinCode: 'ABCDEFGH',
    apiTokenHash: 'sha256:t',
    labId: 'lab',
    createdAt: 0,
  });
  for (const learner of ['ann', 'bo'])
    store.learners.create({ id: learner, displayName: learner, classId: 'c1', createdAt: 1 });
}

function lab(store: Store, id: string, learnerId: string, labId: string, createdAt: number): void {
  store.labSessions.insert({ id, learnerId, labId, status: 'starting', createdAt, lastActivity: createdAt });
}

function seedAttempts(store: Store): void {
  lab(store, 'ann-1', 'ann', 'lab', 2);
  lab(store, 'bo-1', 'bo', 'lab', 2);
  const attempts: [string, string, number, boolean, string][] = [
    ['ann-1', 'backup', 30, false, 'No backup yet'],
    ['ann-1', 'backup', 40, true, 'Backed up'],
    ['ann-1', 'scan', 50, false, 'No scan'],
    ['bo-1', 'backup', 20, false, 'No backup yet'],
    ['bo-1', 'backup', 10, true, 'Backed up'],
  ];
  for (const [sessionId, stepId, at, passed, message] of attempts)
    recordAttempt(store, sessionId, { stepId, at, passed, message, trigger: 'check' });
}

describe('the class roster a dashboard reads', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('refuse stored progress of another shape, naming the learner, instead of showing a wrong dashboard', () => {
    const store = Store.open(temp.file);
    seedClass(store);
    seedAttempts(store);
    for (const broken of ['{not json', '{"backup":40}', '[["backup","soon",40,50]]', '{"backup":{"tries":1}}']) {
      store.db.prepare("UPDATE progress SET steps_json = ? WHERE learner_id = 'ann'").run(broken);
      expect(() => store.progress.listByClass('c1', 'lab')).toThrow('the stored progress of learner ann is unreadable');
      expect(() => store.roster.list('c1', 'lab')).toThrow('learner ann');
    }
    store.close();
  });

  it('give each member their latest lab of the class’s lab: the newest, the last recorded of a tie', () => {
    const store = Store.open(temp.file);
    seedClass(store);
    store.learners.create({ id: 'elsewhere', displayName: 'E', classId: null, createdAt: 1 });
    lab(store, 'ann-old', 'ann', 'lab', 2);
    lab(store, 'ann-new', 'ann', 'lab', 5);
    lab(store, 'ann-other-lab', 'ann', 'other', 9);
    lab(store, 'bo-a', 'bo', 'lab', 4);
    lab(store, 'bo-b', 'bo', 'lab', 4);
    const roster = store.roster.list('c1', 'lab');
    expect(roster.map((e) => [e.learner.id, e.session?.id, e.progress])).toEqual([
      ['ann', 'ann-new', undefined],
      ['bo', 'bo-b', undefined],
    ]);
    expect(store.roster.get('c1', 'lab', 'bo')).toEqual(roster[1]);
    expect(store.roster.get('c1', 'lab', 'elsewhere')).toBeUndefined();
    store.close();
  });
});
