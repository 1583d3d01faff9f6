/** What one recorded check is: the row the store keeps is what the learner's history shows. */
import type { AttemptView } from '../../protocol/classViews';

export type { CheckTrigger } from '../../protocol/stepsViews';

/** One check of one step: a press of "Check", a background auto-check, a reset or a grading run. */
export type AttemptRow = AttemptView;
