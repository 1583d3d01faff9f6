/**
 * The grading engine as startServer's options (main.ts and server tests): its HTTP routes, and
 * "every step, now" for `npm run grade`. The engine is built when startServer calls
 * learnerRouters and belongs to that one server, so two servers in one process never share it.
 */
import type { StartServerOptions } from '../http/startServer';
import { gradingRouter } from '../http/gradingRouter';
import type { LabRuntime } from '../runtime/LabRuntime';
import { attachGrading } from './attachGrading';
import type { GradingEngine } from './GradingEngine';

export function gradingRouters(
  runtime: LabRuntime,
  log: (message: string) => void,
): Required<Pick<StartServerOptions, 'learnerRouters' | 'runAllChecks'>> {
  let engine: GradingEngine | undefined;
  return {
    learnerRouters: ({ catalog, sessions, hubs, attempts, gradingChoices }) => {
      engine = attachGrading({ runtime, catalog, sessions, hubs, store: attempts, choices: gradingChoices, log });
      return [gradingRouter(sessions, catalog, engine)];
    },
    runAllChecks: (labSessionId) =>
      engine
        ? engine.runAllChecks(labSessionId)
        : Promise.reject(new Error('The grading engine starts with the server')),
  };
}
