/** The grading engine and its HTTP routes as startServer's `learnerRouters` (main.ts and server tests). */
import type { StartServerOptions } from '../http/startServer';
import { gradingRouter } from '../http/gradingRouter';
import type { LabRuntime } from '../runtime/LabRuntime';
import { attachGrading } from './attachGrading';

export function gradingRouters(
  runtime: LabRuntime,
  log: (message: string) => void,
): NonNullable<StartServerOptions['learnerRouters']> {
  return ({ catalog, sessions, hubs, attempts, gradingChoices }) => [
    gradingRouter(
      sessions,
      catalog,
      attachGrading({ runtime, catalog, sessions, hubs, store: attempts, choices: gradingChoices, log }),
    ),
  ];
}
