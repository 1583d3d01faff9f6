import { drawParameters, learnerSeed, type LabParameters } from '../../labkit/parameters';
import type { LabModule } from '../../labkit/types';

/** One learner's parameters for one lab (README "Per-learner parameters"). */
export type ParametersOf = (learnerId: string, lab: LabModule) => LabParameters;

/** Seeded with the server's secret: the same learner gets the same values after any reset, wake or restart. */
export function labParameters(secret: string): ParametersOf {
  return (learnerId, lab) =>
    lab.parameters ? drawParameters(lab.parameters, learnerSeed(secret, learnerId, lab.id)) : {};
}
