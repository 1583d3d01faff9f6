import type { LabCatalog } from '../../labkit/catalog';
import type { Classroom } from '../classroom/createClassroom';
import type { Grading } from '../grading/attachGrading';
import type { GradingEngine } from '../grading/GradingEngine';
import type { CheckOutcome } from '../grading/checkOutcome';
import type { FirewallWatches } from '../inspector/FirewallWatches';
import type { LabSessions } from '../sessions/LabSessions';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import type { ServerExtension } from './ServerExtension';
import type { ServerHooks } from './ServerHooks';

interface BuiltIns {
  hubs: TerminalHubs;
  classroom: Classroom;
  grading: Grading | undefined;
  watches: FirewallWatches;
}

/**
 * The product's own parts that follow lab sessions, as hooks, in the order they hear an event:
 * shells first (a reset closes them before anything else looks), then the store, then grading
 * (a lab's setup runs on fresh machines), then the Firewall view.
 */
export function builtInExtensions({ hubs, classroom, grading, watches }: BuiltIns): ServerExtension[] {
  const { recorder } = classroom;
  return [
    { name: 'terminals', onSessionEvent: (event) => hubs.onSessionEvent(event) },
    {
      name: 'store recorder',
      start: () => recorder.start(),
      onSessionEvent: (event) => recorder.onEvent(event),
      close: () => recorder.stop(),
    },
    ...(grading
      ? ([{ name: 'grading', onSessionEvent: (event) => grading.onSessionEvent(event) }] satisfies ServerExtension[])
      : []),
    // Closed by startServer before the sessions end: a watch must not read machines being removed.
    { name: 'firewall watches', onSessionEvent: (event) => watches.onSessionEvent(event) },
  ];
}

/** The engine's results as hook calls, with whose they are and the learner's progress after them. */
export function checkResultsTo(
  hooks: ServerHooks,
  sessions: LabSessions,
  catalog: LabCatalog,
  engine: GradingEngine,
): (sessionId: string, outcome: CheckOutcome) => void {
  return (sessionId, outcome) => {
    const session = sessions.get(sessionId);
    if (!session) return;
    const lab = catalog.get(session.labId);
    const progress = lab && {
      passed: engine.states(sessionId, lab).filter((state) => state.status === 'passed').length,
      total: lab.steps.length,
    };
    hooks.checkResult({
      learnerId: session.learnerId,
      labId: session.labId,
      sessionId,
      stepId: outcome.stepId,
      verdict: { passed: outcome.passed, message: outcome.message, at: outcome.at },
      trigger: outcome.trigger,
      state: outcome.state,
      ...(progress && { progress }),
    });
  };
}
