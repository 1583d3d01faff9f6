import type http from 'node:http';
import type { LabSessions } from '../sessions/LabSessions';
import { labSessionIdSchema } from '../sessions/ids';
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
function firewallMachine(deps: InspectorSocketDeps, labSessionId: string, req: http.IncomingMessage): string {
  const asked = new URL(req.url ?? '/', 'http://x').searchParams.get('machine') ?? undefined;
  const spec = deps.watches.firewallOf(labSessionId, asked);
  if (!spec) throw new WsCloseError(CloseCode.NOT_FOUND, 'This lab shows no such firewall');
  return spec.machineId;
}

/**
 * The Firewall view (the dispatcher has checked the Origin and who is asking):
 * - /ws/sessions/:labSessionId/inspector, the learner's view of their own lab: someone else's lab
 *   closes like a missing one (4004), an ended one with 4008;
 * - /ws/instructor/inspect/:labSessionId, the instructor's view of any live lab (404 otherwise).
 */
export function inspectorSocketRoutes(deps: InspectorSocketDeps): WsRoute[] {
  return [
    learnerSocket('/ws/sessions/:labSessionId/inspector', MAX_CLIENT_FRAME, ({ params, learnerId, req }) => {
      const session = deps.sessions.getOwned(params.labSessionId, learnerId);
      if (!session) throw new WsCloseError(CloseCode.NOT_FOUND, 'No such lab');
      if (session.status === 'ended') throw new WsCloseError(CloseCode.LAB_ENDED, 'The lab has ended');
      const machineId = firewallMachine(deps, session.id, req);
      return (ws) => acceptInspector(ws, session.id, machineId, deps.watches);
    }),
    instructorSocket('/ws/instructor/inspect/:labSessionId', MAX_CLIENT_FRAME, ({ params, req }) => {
      const labSessionId = labSessionIdSchema.safeParse(params.labSessionId);
      const session = labSessionId.success ? deps.sessions.get(labSessionId.data) : undefined;
      if (!session || session.status === 'ended') throw new HttpError(404, 'No such lab');
      const machineId = firewallMachine(deps, session.id, req);
      return (ws) => acceptInspector(ws, session.id, machineId, deps.watches);
    }),
  ];
}
