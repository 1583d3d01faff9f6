import { afterEach, describe, expect, it } from 'vitest';
import { classSnapshot } from '../../server/classroom/classSnapshot';
import type { StepRef } from '../../server/classroom/grades';
import { stepState } from '../../server/grading/stepState';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

const steps: StepRef[] = [
  { id: 'backup', title: 'Back up', latching: 'latch' },
  { id: 'outsiders', title: 'Drop pings only from outside', latching: 'current' },
  { id: 'fix-file', title: 'Fix the file', latching: 'current' },
];

/** The page's badge for a step, from the same attempts (see stepsPanel). */
function pageSays(step: StepRef, attempts: { at: number; passed: boolean }[]): string {
  const state = stepState(
    step.latching ?? 'latch',
    attempts.map((a) => ({ ...a, labSessionId: 'x', stepId: step.id, message: '' })),
  );
  if (state.status === 'failed' && state.firstPassedAt !== undefined) return 'passed before, not holding now';
  return state.status;
}

describe('the dashboard and the learner page agree on "passed"', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('a current step that passed and fails now is a pass that does not hold, in both views', () => {
    const store = Store.open(temp.file);
    store.classes.create({
      id: 'c1',
      name: 'Mon',
      joinCode: 'ABCDEF',
      apiTokenHash: 'sha256:t',
      labId: 'lab',
      createdAt: 1,
    });
    store.learners.create({ id: 'ann', displayName: 'Ann', classId: 'c1', createdAt: 2 });
    // Two labs: the second (after End lab) inherits the first's record.
    for (const id of ['ann-1', 'ann-2'])
      store.labSessions.insert({
        id,
        learnerId: 'ann',
        labId: 'lab',
        status: 'starting',
        createdAt: 3,
        lastActivity: 3,
      });
    const attempts: Record<string, { lab: string; at: number; passed: boolean }[]> = {
      // A latched pass stays a plain pass whatever follows.
      backup: [
        { lab: 'ann-1', at: 10, passed: true },
        { lab: 'ann-2', at: 40, passed: false },
      ],
      // Passed on the first lab, failing on the second's fresh machines.
      outsiders: [
        { lab: 'ann-1', at: 20, passed: true },
        { lab: 'ann-2', at: 50, passed: false },
      ],
      // Failed, then passed: holds.
      'fix-file': [
        { lab: 'ann-2', at: 30, passed: false },
        { lab: 'ann-2', at: 60, passed: true },
      ],
    };
    for (const [stepId, list] of Object.entries(attempts))
      for (const a of list)
        store.attempts.record({ labSessionId: a.lab, stepId, at: a.at, passed: a.passed, message: '' });

    const snap = classSnapshot(
      { store, sessions: { get: () => undefined }, steps: () => steps, stuckAfterMs: 60_000 },
      store.classes.get('c1') ?? expect.fail('no class'),
      100,
    );
    const [ann] = snap.learners;
    expect(ann?.passed).toEqual(['backup', 'outsiders', 'fix-file']);
    expect(ann?.lapsed).toEqual(['outsiders']);
    for (const step of steps) {
      const page = pageSays(step, attempts[step.id] ?? []);
      const dashboard = ann?.lapsed.includes(step.id)
        ? 'passed before, not holding now'
        : ann?.passed.includes(step.id)
          ? 'passed'
          : 'failed';
      expect(dashboard, step.id).toBe(page);
    }
    store.close();
  });
});
