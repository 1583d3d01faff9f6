import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../../protocol/classChanges';
import { diffSnapshot } from '../../../server/classroom/snapshotDiff';
import type { ClassSnapshot, LearnerLine } from '../../../protocol/classViews';

const line = (id: string, over: Partial<LearnerLine> = {}): LearnerLine => ({
  id,
  displayName: id,
  joinedAt: 1,
  session: null,
  passed: [],
  failed: [],
  lapsed: [],
  currentStep: 'backup',
  stuck: false,
  stuckForMs: 0,
  onStepSince: null,
  lastActivity: 100_000,
  ...over,
});
const snap = (learners: LearnerLine[], at = 200_000, passedBackup = 0): ClassSnapshot => ({
  class: {
    id: 'c',
    name: 'Monday',
    joinCode: 'ABCDEFGH',
    labId: 'lab',
    createdAt: 1,
    endedAt: null,
    expectedSize: null,
  },
  steps: [{ id: 'backup', title: 'Back up' }],
  learners,
  stepStats: [{ stepId: 'backup', passed: passedBackup, medianMsToPass: null, topFailure: null }],
  at,
});
const empty = { keys: new Map<string, string>(), head: '' };

describe('dashboard changes', () => {
  it('holds only the lines that changed, new learners and removed ones', () => {
    const first = diffSnapshot(empty, snap([line('ann'), line('bo')]));
    expect(first.changes.learners.map((l) => l.id)).toEqual(['ann', 'bo']);
    expect(first.changes.class).toBeDefined();
    const next = diffSnapshot(
      first,
      snap([line('ann', { passed: ['backup'], currentStep: null }), line('cy')], 205_000),
    );
    expect(next.changes.learners.map((l) => l.id)).toEqual(['ann', 'cy']);
    expect(next.changes.removed).toEqual(['bo']);
    expect(next.changes.class).toBeUndefined();
  });

  it('does not resend a line for the passing of time alone, or for activity within 10 s', () => {
    const first = diffSnapshot(
      empty,
      snap([line('ann', { onStepSince: 50_000, stuckForMs: 150_000, lastActivity: 100_000 })]),
    );
    const later = diffSnapshot(
      first,
      snap([line('ann', { onStepSince: 50_000, stuckForMs: 155_000, lastActivity: 101_000 })], 205_000),
    );
    expect(later.changes.learners).toEqual([]);
    const moved = diffSnapshot(later, snap([line('ann', { onStepSince: 50_000, lastActivity: 111_000 })], 215_000));
    expect(moved.changes.learners.map((l) => l.id)).toEqual(['ann']);
  });

  it('applied by the page, gives the same lines as a whole snapshot, with stuck timers moved on', () => {
    const a = snap([line('ann', { onStepSince: 50_000 }), line('bo')]);
    const b = snap(
      [line('bo', { passed: ['backup'] }), line('ann', { onStepSince: 50_000, stuckForMs: 170_000 }), line('cy')],
      220_000,
    );
    const first = diffSnapshot(empty, a);
    const merged = applyChanges(a, diffSnapshot(first, b).changes);
    expect(merged.at).toBe(220_000);
    expect(new Map(merged.learners.map((l) => [l.id, l]))).toEqual(
      new Map(
        b.learners.map((l) => [l.id, { ...l, stuckForMs: l.onStepSince === null ? 0 : 220_000 - l.onStepSince }]),
      ),
    );
  });

  it('carries the per-step statistics only when they changed, and the page keeps them', () => {
    const first = diffSnapshot(empty, snap([line('ann')]));
    const same = diffSnapshot(first, snap([line('ann')], 205_000));
    expect(same.changes.stepStats).toBeUndefined();
    const passed = diffSnapshot(same, snap([line('ann', { passed: ['backup'] })], 210_000, 1));
    expect(passed.changes.stepStats?.[0]?.passed).toBe(1);
    const merged = applyChanges(snap([line('ann')]), passed.changes);
    expect(merged.stepStats[0]?.passed).toBe(1);
    expect(applyChanges(merged, same.changes).stepStats[0]?.passed).toBe(1);
  });
});
