import type http from 'node:http';
import type { LabSessions } from '../sessions/LabSessions';
import { sessionIdSchema } from '../sessions/ids';
import { HttpError } from '../http/HttpError';
import { CloseCode } from '../../protocol/terminal';
import { instructorSocket, learnerSocket, WsCloseError, type WsRoute } from '../ws/wsRoute';
import type { FirewallWatches } from '../inspector/FirewallWatches';
import { acceptInspector } from '../inspector/inspectorConnection';

const MAX_CLIENT_FRAME = 4096;

export interface InspectorSocketDeps {
  sessions: LabSessions;
  watches: FirewallWatches;
}

/** The firewall a view asks for (`?machine=`, else the lab's first), or a refusal the page can read. */
function firewallMachine(deps: InspectorSocketDeps, sessionId: string, req: http.IncomingMessage): string {
  const asked = new URL(req.url ?? '/', 'http://x').searchParams.get('machine') ?? undefined;
  const spec = deps.watches.firewallOf(sessionId, asked);
  if (!spec) throw new WsCloseError(CloseCode.NOT_FOUND, 'This lab shows no such firewall');
  return spec.machineId;
}

/**
 * The Firewall view (the dispatcher has checked the Origin and who is asking):
 * - /ws/sessions/:sessionId/inspector, the learner's view of their own lab: someone else's lab
 *   closes like a missing one (4004), an ended one with 4008;
 * - /ws/instructor/inspect/:sessionId, the instructor's view of any live lab (404 otherwise).
 */
export function inspectorSocketRoutes(deps: InspectorSocketDeps): WsRoute[] {
  return [
    learnerSocket('/ws/sessions/:sessionId/inspector', MAX_CLIENT_FRAME, ({ params, learnerId, req }) => {
      const session = deps.sessions.getOwned(params.sessionId, learnerId);
      if (!session) throw new WsCloseError(CloseCode.NOT_FOUND, 'No such lab');
      if (session.status === 'ended') throw new WsCloseError(CloseCode.LAB_ENDED, 'The lab has ended');
      const machineId = firewallMachine(deps, session.id, req);
      return (ws) => acceptInspector(ws, session.id, machineId, deps.watches);
    }),
    instructorSocket('/ws/instructor/inspect/:sessionId', MAX_CLIENT_FRAME, ({ params, req }) => {
      const sessionId = sessionIdSchema.safeParse(params.sessionId);
      const session = sessionId.success ? deps.sessions.get(sessionId.data) : undefined;
      if (!session || session.status === 'ended') throw new HttpError(404, 'No such lab');
      const machineId = firewallMachine(deps, session.id, req);
      return (ws) => acceptInspector(ws, session.id, machineId, deps.watches);
    }),
  ];
}
