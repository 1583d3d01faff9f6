import express from 'express';
import type { WebSocket } from 'ws';
import type http from 'node:http';
import type { LearnerCookies } from '../auth/learnerCookie';
import type { LabCatalog } from '../../labkit/catalog';
import type { LabSessions } from '../sessions/LabSessions';
import type { Store } from '../store/Store';
import { AttemptLog } from './AttemptLog';
import { ClassroomChanges } from './ClassroomChanges';
import { ClassroomService } from './ClassroomService';
import { classesRouter } from './classesRouter';
import { attachDashboardSockets, type TerminalWatchSource } from './dashboardSockets';
import type { StepRef } from './grades';
import type { RunAllChecks } from './gradeRun';
import { gradesApiRouter } from './gradesApiRouter';
import { InstructorAccount } from './InstructorAccount';
import { instructorRouter } from './instructorRouter';
import { instructorTokens } from './instructorToken';
import { joinRouter } from './joinRouter';
import { pagesRouter } from './pagesRouter';
import { requireInstructor } from './requestGuards';
import { SessionRecorder } from './SessionRecorder';
import { RosterWarming } from './RosterWarming';

export interface ClassroomDeps {
  store: Store;
  sessions: LabSessions;
  catalog: LabCatalog;
  terminals: TerminalWatchSource;
  learnerCookies: LearnerCookies;
  /** The persisted cookie secret: instructor sessions survive restarts too. */
  cookieSecret: string;
  instructorPassword: string | undefined;
  allowedOrigins: readonly string[];
  stuckAfterMs: number;
  /** How long labs warmed for a class's roster wait after its dashboard opens; 0: no warming. */
  rosterWarmMs?: number;
  /** The grading engine's "every step, now", for `npm run grade`. */
  runAllChecks?: RunAllChecks;
  webRoot: string;
  log: (message: string) => void;
}

export interface Classroom {
  service: ClassroomService;
  /** The grading engine's AttemptStore: durable, and the dashboards hear about every attempt. */
  attempts: AttemptLog;
  recorder: SessionRecorder;
  /** Mount under /api, before the learner-only routers. */
  apiRouter: express.Router;
  /** Mount before the static files. */
  pagesRouter: express.Router;
  /** `inspect` serves the instructor's Firewall view of a learner's lab. */
  attachSockets(
    server: http.Server,
    extra?: { inspect?: (ws: WebSocket, labSessionId: string) => void },
  ): { close(): void };
  close(): void;
}

/** The classroom area, built from its dependencies; startServer mounts the pieces. */
export async function createClassroom(deps: ClassroomDeps): Promise<Classroom> {
  const account = new InstructorAccount(deps.store);
  await account.applyConfigured(deps.instructorPassword);
  const tokens = instructorTokens(deps.cookieSecret, deps.store.instructorSessions);
  const changes = new ClassroomChanges();
  const steps = (labId: string): StepRef[] =>
    deps.catalog.get(labId)?.steps.map(({ id, title }) => ({ id, title })) ?? [];
  const service = new ClassroomService(deps.store, deps.sessions, changes, steps);
  const recorder = new SessionRecorder(deps.store, changes, deps.log);
  const detach = recorder.attach(deps.sessions);

  const apiRouter = express.Router();
  apiRouter.use(instructorRouter(account, tokens));
  apiRouter.use('/instructor', requireInstructor(tokens), classesRouter(service, deps.catalog, deps.stuckAfterMs));
  apiRouter.use(joinRouter(service, deps.learnerCookies, deps.catalog));
  apiRouter.use(gradesApiRouter(service, deps.runAllChecks, deps.cookieSecret));

  return {
    service,
    attempts: new AttemptLog(deps.store, changes),
    recorder,
    apiRouter,
    pagesRouter: pagesRouter(deps.webRoot, tokens),
    attachSockets(server, extra) {
      const wss = attachDashboardSockets(server, {
        ...(extra?.inspect ? { inspect: extra.inspect } : {}),
        allowedOrigins: deps.allowedOrigins,
        tokens,
        snapshot: { store: deps.store, sessions: deps.sessions, steps, stuckAfterMs: deps.stuckAfterMs },
        changes,
        sessions: deps.sessions,
        terminals: deps.terminals,
        warming: new RosterWarming(deps.sessions, deps.rosterWarmMs ?? 0),
        log: deps.log,
      });
      return { close: () => wss.clients.forEach((c) => c.close(1001, 'The server is shutting down')) };
    },
    close() {
      detach();
    },
  };
}
