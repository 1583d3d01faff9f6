import type { LabModule } from '../../labkit/types';
import type { LabSession } from '../sessions/labSessionTypes';
import { labView } from './contexts';
import type { GradingEngine } from './GradingEngine';
import type { StepsView } from '../../protocol/stepsViews';

/** The steps as the learner's page shows them, or undefined while the lab has no machines yet. */
export function stepsViewOf(session: LabSession, lab: LabModule, engine: GradingEngine): StepsView | undefined {
  if (!session.deployment) return undefined;
  const view = labView(session.deployment, engine.parametersOf(session.learnerId, lab));
  const grading = engine.session(session.id);
  const states = engine.states(session.id, lab);
  return {
    labId: lab.id,
    title: lab.title,
    intro: lab.intro(view),
    autoCheck: grading.autoCheck,
    currentStep: lab.steps[engine.currentStep(session.id, lab)]?.id ?? null,
    passed: states.filter((s) => s.status === 'passed').length,
    steps: lab.steps.map((s, i) => ({
      id: s.id,
      number: i + 1,
      title: s.title,
      latching: s.latching,
      instructions: s.instructions(view),
      questions: s.questions ?? [],
      answers: grading.answers(s.id),
      hintsAvailable: s.hints(view).length,
      hints: s.hints(view).slice(0, grading.hintsRevealed(s.id)),
      state: states[i] ?? { status: 'not-checked', attempts: 0 },
    })),
  };
}
