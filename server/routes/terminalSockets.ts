import type { LabCatalog } from '../../labkit/catalog';
import type { GradingEngine } from '../grading/GradingEngine';
import type { LabSessions } from '../sessions/LabSessions';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import { CloseCode, Limits } from '../../protocol/terminal';
import { TerminalConnection } from '../ws/TerminalConnection';
import { streamSessionEvents } from '../ws/sessionEventSockets';
import type { SessionView } from '../../protocol/sessionView';
import type { LabSession } from '../sessions/labSessionTypes';
import type { Log } from '../log/Log';
import { learnerSocket, WsCloseError, type WsRoute } from '../ws/wsRoute';

export interface TerminalSocketDeps {
  sessions: LabSessions;
  hubs: TerminalHubs;
  catalog: LabCatalog;
  /** Pushes verdicts to the page's event channel; none without grading. */
  grading: GradingEngine | undefined;
  /** The session as the API shows it, for the page's event channel. */
  view: (session: LabSession) => SessionView;
  log: Log;
}

/**
 * The learner's sockets to their own lab (the dispatcher has checked the Origin and the cookie):
 * - /ws/sessions/:sessionId/terminals/:machineId, a machine's terminal;
 * - /ws/sessions/:sessionId/events, what happens to the lab (resets, sleep, the end).
 * Someone else's lab closes exactly like a missing one (4004), so ids cannot be probed.
 */
export function terminalSocketRoutes(deps: TerminalSocketDeps): WsRoute[] {
  const owned = (sessionId: string, learnerId: string, notFound: string): LabSession => {
    const session = deps.sessions.getOwned(sessionId, learnerId);
    if (!session) throw new WsCloseError(CloseCode.NOT_FOUND, notFound);
    return session;
  };
  return [
    learnerSocket(
      '/ws/sessions/:sessionId/terminals/:machineId',
      Limits.maxClientFrameBytes,
      ({ params, learnerId }) => {
        const notFound = 'No such lab or machine';
        const session = owned(params.sessionId, learnerId, notFound);
        const machines = deps.catalog.get(session.labId)?.topology.machines ?? [];
        if (!machines.some((m) => m.id === params.machineId)) throw new WsCloseError(CloseCode.NOT_FOUND, notFound);
        if (session.status === 'ended') throw new WsCloseError(CloseCode.LAB_ENDED, 'The lab has ended');
        if (session.status === 'sleeping')
          throw new WsCloseError(CloseCode.LAB_ASLEEP, 'The lab is asleep; resume it first');
        if (session.status === 'broken')
          throw new WsCloseError(CloseCode.MACHINE_STOPPED, session.problem ?? 'A machine stopped unexpectedly');
        const target = { sessionId: session.id, machineId: params.machineId };
        return (ws) => new TerminalConnection(ws, target, deps);
      },
    ),
    learnerSocket('/ws/sessions/:sessionId/events', 1024, ({ params, learnerId }) => {
      const session = owned(params.sessionId, learnerId, 'No such lab');
      return (ws) => streamSessionEvents(ws, session, deps);
    }),
  ];
}
