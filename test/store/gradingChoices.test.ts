import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

/** Answers, hints and the auto-check setting of lab sessions, in a real database file. */
describe('grading choices on a real database file', () => {
  let temp: ReturnType<typeof tempDbFile>;
  let store: Store;
  const labSession = (id: string): void => {
    store.learners.ensure('learner-1', 'Ada', 1);
    store.labSessions.insert({
      id,
      learnerId: 'learner-1',
      labId: 'iptables-single-server',
      status: 'ready',
      createdAt: 1,
      lastActivity: 1,
    });
  };
  const reopen = (): void => {
    store.close();
    store = Store.open(temp.file);
  };

  beforeEach(() => {
    temp = tempDbFile();
    store = Store.open(temp.file);
    labSession('lab-a');
    labSession('lab-b');
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  it('starts with auto-check on, no answers and no hints revealed', () => {
    expect(store.gradingChoices.autoCheck('lab-a')).toBe(true);
    expect(store.gradingChoices.answers('lab-a', 'tour')).toEqual({});
    expect(store.gradingChoices.hintsRevealed('lab-a', 'tour')).toBe(0);
  });

  it('keeps auto-check off after the database is reopened, and can turn it back on', () => {
    store.gradingChoices.setAutoCheck('lab-a', false);
    reopen();
    expect(store.gradingChoices.autoCheck('lab-a')).toBe(false);
    expect(store.gradingChoices.autoCheck('lab-b')).toBe(true);
    store.gradingChoices.setAutoCheck('lab-a', true);
    reopen();
    expect(store.gradingChoices.autoCheck('lab-a')).toBe(true);
  });

  it('merges answers per step: a later answer replaces that question only', () => {
    store.gradingChoices.setAnswers('lab-a', 'tour', { jump: 'INPUT', last: 'rejects' });
    store.gradingChoices.setAnswers('lab-a', 'tour', { jump: 'RH-Firewall-1-INPUT' });
    store.gradingChoices.setAnswers('lab-a', 'rescan', { changed: 'only 22 and 80 are open' });
    reopen();
    expect(store.gradingChoices.answers('lab-a', 'tour')).toEqual({ jump: 'RH-Firewall-1-INPUT', last: 'rejects' });
    expect(store.gradingChoices.answers('lab-a', 'rescan')).toEqual({ changed: 'only 22 and 80 are open' });
    expect(store.gradingChoices.answers('lab-b', 'tour')).toEqual({});
  });

  it('reveals hints one at a time, never more than the step has', () => {
    expect(store.gradingChoices.revealHint('lab-a', 'tour', 2)).toBe(1);
    expect(store.gradingChoices.revealHint('lab-a', 'tour', 2)).toBe(2);
    expect(store.gradingChoices.revealHint('lab-a', 'tour', 2)).toBe(2);
    expect(store.gradingChoices.revealHint('lab-a', 'backup', 0)).toBe(0);
    reopen();
    expect(store.gradingChoices.hintsRevealed('lab-a', 'tour')).toBe(2);
    expect(store.gradingChoices.hintsRevealed('lab-b', 'tour')).toBe(0);
  });

  it('ignores choices for a lab session the store never recorded', () => {
    store.gradingChoices.setAutoCheck('unknown', false);
    store.gradingChoices.setAnswers('unknown', 'tour', { jump: 'x' });
    expect(store.gradingChoices.revealHint('unknown', 'tour', 2)).toBe(0);
    expect(store.gradingChoices.autoCheck('unknown')).toBe(true);
    expect(store.gradingChoices.answers('unknown', 'tour')).toEqual({});
  });
});
