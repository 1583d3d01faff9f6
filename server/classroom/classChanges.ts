import type { ClassSnapshot, LearnerLine } from './classViews';

/**
 * What a dashboard receives after its first full snapshot: only the learner lines that changed,
 * plus the class header or steps when those changed. The page merges it into the snapshot it has.
 *   {"type": "snapshot", "data": ClassSnapshot}
 *   {"type": "changes",  "data": ClassChanges}
 */
export interface ClassChanges {
  at: number;
  class?: ClassSnapshot['class'];
  steps?: ClassSnapshot['steps'];
  stepStats?: ClassSnapshot['stepStats'];
  /** Changed or new lines, whole; new learners come last, in roster order. */
  learners: LearnerLine[];
  /** Learners no longer in the class. */
  removed: string[];
}

export type DashboardMessage = { type: 'snapshot'; data: ClassSnapshot } | { type: 'changes'; data: ClassChanges };

/** Lines whose activity moved by less than this are not resent: the page shows "n s ago" anyway. */
const ACTIVITY_GRAIN_MS = 10_000;

/** What makes a line worth resending: stuckForMs is derived from `at`, and activity is coarse. */
export function lineKey(line: LearnerLine): string {
  const { lastActivity } = line;
  return JSON.stringify({
    ...line,
    stuckForMs: 0,
    lastActivity: lastActivity === null ? null : Math.floor(lastActivity / ACTIVITY_GRAIN_MS),
  });
}

/** The changes from `before` (keys by learner id, plus the header) to `after`. */
export function diffSnapshot(
  before: { keys: ReadonlyMap<string, string>; head: string },
  after: ClassSnapshot,
): { changes: ClassChanges; keys: Map<string, string>; head: string } {
  const keys = new Map<string, string>();
  const learners: LearnerLine[] = [];
  for (const line of after.learners) {
    const key = lineKey(line);
    keys.set(line.id, key);
    if (before.keys.get(line.id) !== key) learners.push(line);
  }
  const removed = [...before.keys.keys()].filter((id) => !keys.has(id));
  const head = headKey(after);
  const changes: ClassChanges = { at: after.at, learners, removed };
  if (head !== before.head)
    Object.assign(changes, { class: after.class, steps: after.steps, stepStats: after.stepStats });
  return { changes, keys, head };
}

export const headKey = (snap: Pick<ClassSnapshot, 'class' | 'steps' | 'stepStats'>): string =>
  JSON.stringify([snap.class, snap.steps, snap.stepStats]);

/** The page's side: applies changes to the snapshot it holds (the same function the page runs). */
export function applyChanges(snap: ClassSnapshot, changes: ClassChanges): ClassSnapshot {
  const changed = new Map(changes.learners.map((l) => [l.id, l]));
  const gone = new Set(changes.removed);
  const learners = snap.learners.filter((l) => !gone.has(l.id)).map((l) => changed.get(l.id) ?? l);
  const known = new Set(snap.learners.map((l) => l.id));
  for (const line of changes.learners) if (!known.has(line.id)) learners.push(line);
  const at = changes.at;
  return {
    class: changes.class ?? snap.class,
    steps: changes.steps ?? snap.steps,
    stepStats: changes.stepStats ?? snap.stepStats,
    at,
    learners: learners.map((l) => ({ ...l, stuckForMs: l.onStepSince === null ? 0 : Math.max(0, at - l.onStepSince) })),
  };
}
