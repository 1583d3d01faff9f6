/**
 * Where a class is stuck, per step: how many passed, the median time to pass, and the failure
 * most of those still failing it are on. Pure: built from the learners' progress records (one per
 * learner), so a class of 200 costs a few thousand entries, never every attempt.
 */
import type { StepRef, StepStat } from '../../protocol/classViews';

export type { StepStat } from '../../protocol/classViews';

export interface StatsInput {
  steps: readonly StepRef[];
  learners: readonly { id: string; joinedAt: number }[];
  progress: readonly { learnerId: string; passes: readonly { stepId: string; firstPassAt: number }[] }[];
  failures: readonly { stepId: string; message: string; learners: number; attempts: number }[];
}

/** Machine addresses differ per learner; the same advice with other addresses is the same failure. */
const ADDRESS = /\b\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?\b/g;
const failureKey = (message: string): string => message.replace(ADDRESS, '#');

export function stepStats({ steps, learners, progress, failures }: StatsInput): StepStat[] {
  const joined = new Map(learners.map((l) => [l.id, l.joinedAt]));
  const times = new Map<string, number[]>(steps.map((s) => [s.id, []]));
  for (const mine of progress) {
    const start = joined.get(mine.learnerId);
    if (start === undefined) continue;
    let since = start;
    for (const pass of [...mine.passes].sort((a, b) => a.firstPassAt - b.firstPassAt)) {
      times.get(pass.stepId)?.push(Math.max(0, pass.firstPassAt - since));
      since = Math.max(since, pass.firstPassAt);
    }
  }
  const worst = new Map<string, { message: string; learners: number; attempts: number }>();
  const grouped = new Map<string, { stepId: string; message: string; learners: number; attempts: number }>();
  for (const f of failures) {
    const key = `${f.stepId}\n${failureKey(f.message)}`;
    const group = grouped.get(key);
    if (group) {
      group.learners += f.learners;
      group.attempts += f.attempts;
    } else grouped.set(key, { ...f });
  }
  for (const g of grouped.values()) {
    const best = worst.get(g.stepId);
    if (!best || g.learners > best.learners || (g.learners === best.learners && g.attempts > best.attempts))
      worst.set(g.stepId, g);
  }
  return steps.map((s) => {
    const passTimes = times.get(s.id) ?? [];
    const top = worst.get(s.id);
    return {
      stepId: s.id,
      passed: passTimes.length,
      medianMsToPass: median(passTimes),
      topFailure: top ? { message: top.message, learners: top.learners } : null,
    };
  });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
