import type { LabSessions } from '../sessions/LabSessions';
import { labSessionIdSchema } from '../sessions/ids';
import { HttpError } from '../http/HttpError';
import { CloseCode } from '../ws/protocol';
import { instructorSocket, learnerSocket, WsCloseError, type WsRoute } from '../ws/wsRoute';
import type { FirewallWatches } from '../inspector/FirewallWatches';
import { acceptInspector } from '../inspector/inspectorConnection';

const MAX_CLIENT_FRAME = 4096;

export interface InspectorSocketDeps {
  sessions: LabSessions;
  watches: FirewallWatches;
}

/**
 * The Firewall view (the dispatcher has checked the Origin and who is asking):
 * - /ws/sessions/:labSessionId/inspector, the learner's view of their own lab: someone else's lab
 *   closes like a missing one (4004), an ended one with 4008;
 * - /ws/instructor/inspect/:labSessionId, the instructor's view of any live lab (404 otherwise).
 */
export function inspectorSocketRoutes(deps: InspectorSocketDeps): WsRoute[] {
  return [
    learnerSocket('/ws/sessions/:labSessionId/inspector', MAX_CLIENT_FRAME, ({ params, learnerId }) => {
      const session = deps.sessions.getOwned(params.labSessionId, learnerId);
      if (!session) throw new WsCloseError(CloseCode.NOT_FOUND, 'No such lab');
      if (session.status === 'ended') throw new WsCloseError(CloseCode.LAB_ENDED, 'The lab has ended');
      return (ws) => acceptInspector(ws, session.id, deps.watches);
    }),
    instructorSocket('/ws/instructor/inspect/:labSessionId', MAX_CLIENT_FRAME, ({ params }) => {
      const labSessionId = labSessionIdSchema.safeParse(params.labSessionId);
      const session = labSessionId.success ? deps.sessions.get(labSessionId.data) : undefined;
      if (!session || session.status === 'ended') throw new HttpError(404, 'No such lab');
      return (ws) => acceptInspector(ws, session.id, deps.watches);
    }),
  ];
}
