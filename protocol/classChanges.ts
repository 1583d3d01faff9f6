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
