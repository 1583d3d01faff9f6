import { applyVerdict, type Progress, type Verdict } from '../grading/progress';
import type { Store } from './Store';

/** Longer checker messages are cut: a message is advice for a person, not a log. */
const MAX_MESSAGE = 2000;

/**
 * The one writer of progress: stores the verdict in the history of checks and updates the
 * learner's progress on the session's lab, in one transaction, by applyVerdict's rules.
 * Undefined for a session the store never recorded (a test harness's own labs).
 */
export function recordAttempt(
  store: Store,
  sessionId: string,
  input: Verdict,
): { progress: Progress; kept: boolean } | undefined {
  const verdict = { ...input, message: input.message.slice(0, MAX_MESSAGE) };
  return store.transaction(() => {
    const owner = store.labSessions.ownerOf(sessionId);
    if (!owner) return undefined;
    const before = store.progress.get(owner.learnerId, owner.labId);
    const { progress, keep } = applyVerdict(before, verdict);
    if (keep) {
      store.attempts.record({ sessionId, ...verdict });
      if (progress !== before) store.progress.put(progress);
      store.labSessions.touch(sessionId, verdict.at);
    }
    return { progress, kept: keep };
  });
}
