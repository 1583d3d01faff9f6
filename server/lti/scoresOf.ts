import type { LabCatalog } from '../../labkit/catalog';
import type { ProgressRepo } from '../store/ProgressRepo';
import type { LineItemLink } from './LaunchRepo';
import type { NewScore } from './ScoresRepo';

/**
 * The score a line item should hold now, read from the learner's one progress record (never
 * worked out again here): for the lab, the steps passed of all its steps; for one step, 1 of 1
 * once passed. The timestamp is the time of the pass that made it. Nothing before a first pass.
 */
export function scoreOf(
  link: LineItemLink,
  deps: { catalog: LabCatalog; progress: ProgressRepo },
): NewScore | undefined {
  const lab = deps.catalog.get(link.labId);
  if (!lab) return undefined;
  const { steps } = deps.progress.get(link.learnerId, lab.id);
  const passes = lab.steps
    .filter((step) => link.stepId === null || step.id === link.stepId)
    .map((step) => steps[step.id]?.firstPassAt)
    .filter((at): at is number => typeof at === 'number');
  if (passes.length === 0) return undefined;
  const scoreMaximum = link.stepId === null ? lab.steps.length : 1;
  const scoreGiven = passes.length;
  return {
    platformId: link.platformId,
    lineItemUrl: link.lineItemUrl,
    userId: link.userId,
    learnerId: link.learnerId,
    scoreGiven,
    scoreMaximum,
    activityProgress: scoreGiven >= scoreMaximum ? 'Completed' : 'InProgress',
    // The tool grades by itself, so every score it sends is final for its moment.
    gradingProgress: 'FullyGraded',
    timestamp: Math.max(...passes),
  };
}
