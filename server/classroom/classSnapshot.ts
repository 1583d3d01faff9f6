import type { LabSessions } from '../sessions/LabSessions';
import type { ClassRow } from '../store/ClassesRepo';
import type { LabSessionSummary } from '../store/LabSessionsRepo';
import type { LearnerProgressRow } from '../store/LearnerProgressRepo';
import type { LearnerRow } from '../store/LearnersRepo';
import type { Store } from '../store/Store';
import { computeGrades, type GradeRow, type StepRef } from './grades';
import { rosterProgress } from './roster';
import type { ClassSnapshot, LearnerLine } from './classViews';
import { stepStats } from './stepStats';

export interface SnapshotDeps {
  store: Store;
  sessions: Pick<LabSessions, 'get'>;
  steps: (labId: string) => StepRef[];
  stuckAfterMs: number;
}

/** Everything a class's dashboard shows, from the store plus the live lab states in memory. */
export function classSnapshot(deps: SnapshotDeps, cls: ClassRow, now = Date.now()): ClassSnapshot {
  const { store } = deps;
  const steps = deps.steps(cls.labId);
  const progressRows = store.learnerProgress.listByClass(cls.id);
  const progress = new Map(progressRows.map((p) => [p.learnerId, p]));
  const latest = new Map<string, LabSessionSummary>();
  for (const row of store.labSessions.summariesByClass(cls.id))
    if (row.labId === cls.labId) latest.set(row.learnerId, row);
  const learners = store.learners.listByClass(cls.id);
  const lines = learners.map((learner) =>
    learnerLine(deps, steps, learner, latest.get(learner.id), progress.get(learner.id), now),
  );
  const stats = stepStats({
    steps,
    learners: learners.map((l) => ({ id: l.id, joinedAt: l.createdAt })),
    progress: progressRows,
    failures: store.stepFailures.listByClass(cls.id),
  });
  const { id, name, joinCode, labId, createdAt, endedAt } = cls;
  return {
    class: { id, name, joinCode, labId, createdAt, endedAt },
    steps,
    learners: lines,
    stepStats: stats,
    at: now,
  };
}

/** The lines of just these learners (those of them in the class): a few indexed reads each. */
export function learnerLines(
  deps: SnapshotDeps,
  cls: ClassRow,
  learnerIds: Iterable<string>,
  now = Date.now(),
): LearnerLine[] {
  const { store } = deps;
  const steps = deps.steps(cls.labId);
  const lines: LearnerLine[] = [];
  for (const id of learnerIds) {
    const learner = store.learners.get(id);
    if (!learner || learner.classId !== cls.id) continue;
    const row = store.labSessions
      .summariesByLearner(id)
      .filter((r) => r.labId === cls.labId)
      .at(-1);
    lines.push(learnerLine(deps, steps, learner, row, store.learnerProgress.forLearner(cls.id, id), now));
  }
  return lines;
}

function learnerLine(
  deps: SnapshotDeps,
  steps: StepRef[],
  learner: LearnerRow,
  row: LabSessionSummary | undefined,
  mine: LearnerProgressRow | undefined,
  now: number,
): LearnerLine {
  const live = row ? deps.sessions.get(row.id) : undefined;
  const lastActivity = Math.max(live?.lastActivityAt ?? 0, row?.lastActivity ?? 0, mine?.lastAt ?? 0);
  const standing = rosterProgress({
    steps,
    passes: mine?.passes ?? [],
    since: row?.createdAt ?? learner.createdAt,
    labLive: live !== undefined,
    now,
    stuckAfterMs: deps.stuckAfterMs,
  });
  return {
    id: learner.id,
    displayName: learner.displayName,
    joinedAt: learner.createdAt,
    lab: row
      ? {
          sessionId: row.id,
          status: live?.status ?? 'ended',
          machines: live?.lab?.machines.map(({ id, label, addresses }) => ({ id, label, addresses })) ?? [],
        }
      : null,
    ...standing,
    failed: steps.filter((s) => mine?.triedOnly.includes(s.id) === true).map((s) => s.id),
    lastActivity: lastActivity || null,
  };
}

/** Grades of a class: one row per learner, first-pass time per step. */
export function classGrades(
  deps: Pick<SnapshotDeps, 'store' | 'sessions' | 'steps'>,
  cls: ClassRow,
): { steps: StepRef[]; rows: GradeRow[] } {
  const steps = deps.steps(cls.labId);
  const learners = deps.store.learners.listByClass(cls.id);
  const activity = new Map<string, number>();
  for (const row of deps.store.labSessions.summariesByClass(cls.id)) {
    const at = Math.max(row.lastActivity, deps.sessions.get(row.id)?.lastActivityAt ?? 0);
    activity.set(row.learnerId, Math.max(activity.get(row.learnerId) ?? 0, at));
  }
  return { steps, rows: computeGrades(steps, learners, deps.store.learnerProgress.listByClass(cls.id), activity) };
}
