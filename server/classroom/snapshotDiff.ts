/** The server's side of the dashboard feed: which learner lines and header changed since the last send. */
import type { ClassChanges } from '../../protocol/classChanges';
import type { ClassSnapshot, LearnerLine } from '../../protocol/classViews';

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
