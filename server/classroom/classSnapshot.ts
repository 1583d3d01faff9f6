import type { LabSessions } from '../sessions/LabSessions';
import type { ClassRow } from '../store/ClassesRepo';
import type { LabSessionSummary } from '../store/LabSessionsRepo';
import type { Store } from '../store/Store';
import { computeGrades, type GradeRow, type StepRef } from './grades';
import { rosterProgress } from './roster';

export interface LearnerLine {
  id: string;
  displayName: string;
  joinedAt: number;
  /** The learner's latest lab of this class; status 'ended' once it is gone. */
  lab: { sessionId: string; status: string; machines: { id: string; label: string }[] } | null;
  passed: string[];
  currentStep: string | null;
  stuck: boolean;
  /** Derived from onStepSince and the snapshot's `at`; dashboards fed by changes recompute it. */
  stuckForMs: number;
  onStepSince: number | null;
  lastActivity: number | null;
}

export interface ClassSnapshot {
  class: Pick<ClassRow, 'id' | 'name' | 'joinCode' | 'labId' | 'createdAt' | 'endedAt' | 'apiToken'>;
  steps: StepRef[];
  learners: LearnerLine[];
  at: number;
}

export interface SnapshotDeps {
  store: Store;
  sessions: Pick<LabSessions, 'get'>;
  steps: (labId: string) => StepRef[];
  stuckAfterMs: number;
}

/** Everything a class's dashboard shows, from the store plus the live lab states in memory. */
export function classSnapshot(deps: SnapshotDeps, cls: ClassRow, now = Date.now()): ClassSnapshot {
  const { store, sessions } = deps;
  const steps = deps.steps(cls.labId);
  const learners = store.learners.listByClass(cls.id);
  const progress = new Map(store.learnerProgress.listByClass(cls.id).map((p) => [p.learnerId, p]));
  const latest = new Map<string, LabSessionSummary>();
  for (const row of store.labSessions.summariesByClass(cls.id))
    if (row.labId === cls.labId) latest.set(row.learnerId, row);

  const lines = learners.map((learner): LearnerLine => {
    const row = latest.get(learner.id);
    const live = row ? sessions.get(row.id) : undefined;
    const mine = progress.get(learner.id);
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
            machines: live?.lab?.machines.map(({ id, label }) => ({ id, label })) ?? [],
          }
        : null,
      ...standing,
      lastActivity: lastActivity || null,
    };
  });
  const { id, name, joinCode, labId, createdAt, endedAt, apiToken } = cls;
  return { class: { id, name, joinCode, labId, createdAt, endedAt, apiToken }, steps, learners: lines, at: now };
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
