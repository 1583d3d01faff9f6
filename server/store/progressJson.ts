/**
 * A class member's learner_progress rows as the JSON array learner_summaries keeps (see migration
 * 'class-summaries'): for a whole class that is thousands of entries, and one native JSON.parse
 * per learner costs a fraction of splitting packed text or materialising a row per entry.
 */
import type { LearnerProgressRow, StepPass } from './LearnerProgressRepo';

/**
 * The learner's progress from `[[step, firstPassAt|null, lastPassAt|null, lastAt], …]`; undefined
 * when they have checked nothing yet. Stored JSON is still untrusted, so the shape is checked
 * entry by entry (by hand: a schema library would cost more than the parse on this hot path) and
 * anything else throws, naming the learner, rather than showing a wrong dashboard.
 */
export function readProgressJson(learnerId: string, text: string | null): LearnerProgressRow | undefined {
  if (text === null) return undefined;
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    throw unreadable(learnerId);
  }
  if (!Array.isArray(entries)) throw unreadable(learnerId);
  if (entries.length === 0) return undefined;
  const passes: StepPass[] = [];
  const triedOnly: string[] = [];
  let lastAt = -Infinity;
  for (const entry of entries as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 4) throw unreadable(learnerId);
    const stepId: unknown = entry[0];
    const first: unknown = entry[1];
    const last: unknown = entry[2];
    const latest: unknown = entry[3];
    if (typeof stepId !== 'string' || typeof latest !== 'number') throw unreadable(learnerId);
    lastAt = Math.max(lastAt, latest);
    if (first === null && last === null) triedOnly.push(stepId);
    else if (typeof first === 'number' && typeof last === 'number')
      passes.push({ stepId, firstPassAt: first, lastPassAt: last, lastCheckAt: latest });
    else throw unreadable(learnerId);
  }
  return { learnerId, lastAt, passes, triedOnly };
}

const unreadable = (learnerId: string): Error => new Error(`the stored progress of learner ${learnerId} is unreadable`);
