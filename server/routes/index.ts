/**
 * Every route of the server, HTTP and WebSocket, mounted in one place by area. startServer calls
 * registerRoutes once and hands the result to createApp (HTTP) and the upgrade dispatcher.
 */
import express from 'express';
import type { LabCatalog } from '../../labkit/catalog';
import { LEARNER_COOKIE, readCookie, type LearnerCookies } from '../auth/learnerCookie';
import { requireLearner } from '../auth/requireLearner';
import type { Classroom } from '../classroom/createClassroom';
import { LoginThrottle, slowdown } from '../classroom/LoginThrottle';
import { instructorCookie, requireInstructor } from '../classroom/requestGuards';
import type { GradingEngine } from '../grading/GradingEngine';
import type { SessionView } from '../../protocol/sessionView';
import { sessionView, type SessionViewTiming } from './sessionViewOf';
import type { FirewallWatches } from '../inspector/FirewallWatches';
import type { Log } from '../log/Log';
import type { LabSessions } from '../sessions/LabSessions';
import type { LabSession } from '../sessions/labSessionTypes';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import type { Identify, WsRoute } from '../ws/wsRoute';
import { authRouter } from './auth';
import type { GuestsConfig } from '../config';
import { classesRouter } from './classes';
import { dashboardSocketRoutes } from './dashboardSockets';
import { gradesApiRouter } from './gradesApi';
import { gradingRouter } from './grading';
import { inspectorSocketRoutes } from './inspectorSockets';
import { instructorRouter } from './instructor';
import { joinRouter } from './join';
import { labsRouter } from './labs';
import { pagesRouter } from './pages';
import { labParameters } from '../grading/labParameters';
import { sessionsRouter } from './sessions';
import { terminalSocketRoutes } from './terminalSockets';
import { hostSawRouter, instructorTimelineRouter, type JournalEvents } from './timelines';

export interface RouteDeps {
  catalog: LabCatalog;
  sessions: LabSessions;
  hubs: TerminalHubs;
  classroom: Classroom;
  /** Without an engine the lab has no steps API, and grade runs answer 503. */
  grading: GradingEngine | undefined;
  watches: FirewallWatches;
  /** The lab journal, read for timelines. */
  journal: JournalEvents;
  cookies: LearnerCookies;
  cookieSecret: string;
  guests: GuestsConfig;
  timing: SessionViewTiming;
  stuckAfterMs: number;
  /** The instructor sign-in throttle's slow-down per wrong password past twenty (LoginThrottle). */
  signInSlowdownMs: number;
  webRoot: string;
  log: Log;
}

export interface Routes {
  /** Mounted under /api. */
  api: express.Router;
  /** Page routes in front of the static files. */
  pages: express.Router;
  /** The WebSocket route table. */
  sockets: WsRoute[];
  /** Who is asking, for the sockets: the same cookies the HTTP routes read. */
  identify: Identify;
}

export function registerRoutes(deps: RouteDeps): Routes {
  const { catalog, sessions, classroom, grading } = deps;
  const { service, tokens } = classroom;
  const view = (session: LabSession): SessionView => sessionView(session, catalog.get(session.labId), deps.timing);

  const removed = (learnerId: string): boolean => service.store.learners.isRemoved(learnerId);
  const api = express.Router();
  // Open to everyone: who am I, guest sign-in, instructor sign-in.
  api.use(authRouter(deps.cookies, deps.guests, deps.log));
  api.use(
    instructorRouter(classroom.account, tokens, new LoginThrottle(deps.cookieSecret, slowdown(deps.signInSlowdownMs))),
  );
  // The instructor's classes.
  api.use(
    '/instructor',
    requireInstructor(tokens),
    classesRouter(service, catalog, deps.stuckAfterMs, labParameters(deps.cookieSecret)),
  );
  api.use('/instructor', requireInstructor(tokens), instructorTimelineRouter(service, sessions, catalog, deps.journal));
  api.use(joinRouter(service, deps.cookies, catalog));
  // For scripts holding a class API token (no cookies).
  api.use(gradesApiRouter(service, grading && ((id) => grading.runAllChecks(id)), deps.cookieSecret));
  // The learner's own labs: everything from here on needs the learner cookie.
  api.use(requireLearner(deps.cookies, removed));
  api.use(labsRouter(catalog));
  api.use(
    sessionsRouter({
      sessions,
      catalog,
      timing: deps.timing,
      log: deps.log,
      mayStart: (id) => service.assertMayStartLab(id),
      startLab: (id, labId) => service.startLab(id, labId),
    }),
  );
  if (grading) api.use(gradingRouter(sessions, catalog, grading));
  api.use(hostSawRouter(sessions, catalog, deps.journal));

  return {
    api,
    pages: pagesRouter(deps.webRoot, tokens),
    sockets: [
      ...terminalSocketRoutes({ sessions, hubs: deps.hubs, catalog, grading, view, log: deps.log }),
      ...inspectorSocketRoutes({ sessions, watches: deps.watches }),
      ...dashboardSocketRoutes({
        classes: service.store.classes,
        feeds: classroom.feeds,
        sessions,
        terminals: deps.hubs,
      }),
    ],
    identify: {
      learner: (req) => {
        const learnerId = deps.cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE));
        return learnerId && !removed(learnerId) ? learnerId : undefined;
      },
      instructor: (req) => tokens.verify(instructorCookie(req)),
    },
  };
}
