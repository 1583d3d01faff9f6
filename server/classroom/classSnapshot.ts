import type { LabSessions } from '../sessions/LabSessions';
import type { RosterEntry } from '../store/ClassRosterRepo';
import type { ClassRow } from '../store/ClassesRepo';
import type { Store } from '../store/Store';
import { computeGrades, type GradeRow, type StepRef } from './grades';
import { failingNow, passesOf } from './progressViews';
import { rosterProgress } from './roster';
import type { ClassSnapshot, LearnerLine } from '../../protocol/classViews';
import { stepStats } from './stepStats';

export interface SnapshotDeps {
  store: Store;
  sessions: Pick<LabSessions, 'get'>;
  steps: (labId: string) => StepRef[];
  stuckAfterMs: number;
}

/** The part of a dashboard above the learners: the class, its steps, and where the class is. */
export type ClassHead = Pick<ClassSnapshot, 'class' | 'steps' | 'stepStats'>;

/** Everything a class's dashboard shows, from the store plus the live lab states in memory. */
export function classSnapshot(deps: SnapshotDeps, cls: ClassRow, now = Date.now()): ClassSnapshot {
  const steps = deps.steps(cls.labId);
  const roster = deps.store.roster.list(cls.id, cls.labId);
  return {
    ...headOf(cls, steps, roster),
    learners: roster.map((entry) => learnerLine(deps, steps, entry, now)),
    at: now,
  };
}

/** The class's head alone (the step statistics need the whole class's progress, not its lines). */
export function classHead(deps: Pick<SnapshotDeps, 'store' | 'steps'>, cls: ClassRow): ClassHead {
  return headOf(cls, deps.steps(cls.labId), deps.store.roster.list(cls.id, cls.labId));
}

function headOf(cls: ClassRow, steps: StepRef[], roster: readonly RosterEntry[]): ClassHead {
  const stats = stepStats({
    steps,
    learners: roster.map(({ learner }) => ({ id: learner.id, joinedAt: learner.createdAt })),
    progress: progressOf(roster).map(passesOf),
    failures: failingNow(progressOf(roster)),
  });
  const { id, name, joinCode, labId, createdAt, endedAt, expectedSize } = cls;
  return { class: { id, name, joinCode, labId, createdAt, endedAt, expectedSize }, steps, stepStats: stats };
}

/** The lines of just these learners (those of them in the class): one indexed read each. */
export function learnerLines(
  deps: SnapshotDeps,
  cls: ClassRow,
  learnerIds: Iterable<string>,
  now = Date.now(),
): LearnerLine[] {
  const steps = deps.steps(cls.labId);
  const lines: LearnerLine[] = [];
  for (const id of learnerIds) {
    const entry = deps.store.roster.get(cls.id, cls.labId, id);
    if (entry) lines.push(learnerLine(deps, steps, entry, now));
  }
  return lines;
}

function learnerLine(
  deps: SnapshotDeps,
  steps: StepRef[],
  { learner, session: row, progress: mine }: RosterEntry,
  now: number,
): LearnerLine {
  const live = row ? deps.sessions.get(row.id) : undefined;
  const lastActivity = Math.max(live?.lastActivityAt ?? 0, row?.lastActivity ?? 0, mine?.lastAt ?? 0);
  const standing = rosterProgress({
    steps,
    progress: mine?.steps ?? {},
    since: row?.createdAt ?? learner.createdAt,
    labLive: live !== undefined,
    now,
    stuckAfterMs: deps.stuckAfterMs,
  });
  const tried = mine?.steps ?? {};
  return {
    id: learner.id,
    displayName: learner.displayName,
    joinedAt: learner.createdAt,
    session: row
      ? {
          sessionId: row.id,
          status: live?.status ?? 'ended',
          machines: live?.deployment?.machines.map(({ id, label, addresses }) => ({ id, label, addresses })) ?? [],
        }
      : null,
    ...standing,
    failed: steps.filter((s) => tried[s.id]?.firstPassAt === null).map((s) => s.id),
    lastActivity: lastActivity || null,
  };
}

/** Grades of a class: one row per learner, first-pass time per step. */
export function classGrades(
  deps: Pick<SnapshotDeps, 'store' | 'sessions' | 'steps'>,
  cls: ClassRow,
): { steps: StepRef[]; rows: GradeRow[] } {
  const steps = deps.steps(cls.labId);
  const roster = deps.store.roster.list(cls.id, cls.labId);
  // Activity counts every lab the learner had, of any lab, not only the latest.
  const activity = new Map<string, number>();
  for (const row of deps.store.labSessions.activityByClass(cls.id)) {
    const at = Math.max(row.lastActivity, deps.sessions.get(row.id)?.lastActivityAt ?? 0);
    activity.set(row.learnerId, Math.max(activity.get(row.learnerId) ?? 0, at));
  }
  return {
    steps,
    rows: computeGrades(
      steps,
      roster.map((e) => e.learner),
      progressOf(roster).map(passesOf),
      activity,
    ),
  };
}

const progressOf = (roster: readonly RosterEntry[]) => roster.flatMap((e) => (e.progress ? [e.progress] : []));
