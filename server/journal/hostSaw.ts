/** "What the host saw" for one step: the step's latest check and the newest things the host observed itself. */
import type { HostSawView, TimelineEntry } from '../../protocol/timeline';

/** Newest host observations shown to the learner. */
export const RECENT_ENTRIES = 8;

export function hostSaw(entries: readonly TimelineEntry[], stepId: string): HostSawView {
  const lastCheck = [...entries].reverse().find((e) => e.kind === 'check' && e.stepId === stepId) ?? null;
  const observed = entries.filter((e) => e.kind === 'packets' || e.kind === 'ruleset' || e.kind === 'file');
  // The rules text stays on the instructor's side: the learner sees what changed, not a dump.
  const recent = observed.slice(-RECENT_ENTRIES).map(({ rules: _rules, ...e }) => e);
  return { stepId, lastCheck, recent };
}
