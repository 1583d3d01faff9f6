/**
 * /ws/sessions/:labSessionId/inspector — the learner's Firewall view of their own lab.
 * Same checks as the terminals: Origin before the upgrade (403), then the learner cookie
 * (4001) and ownership (4004, the same for "does not exist" and "not yours").
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { LEARNER_COOKIE, readCookie, type LearnerCookies } from '../auth/learnerCookie';
import { originAllowed } from '../auth/origin';
import type { LabSessions } from '../sessions/LabSessions';
import { CloseCode } from '../ws/protocol';
import { decodeSegment, refuseUpgrade } from '../ws/refuseUpgrade';
import type { FirewallWatches } from './FirewallWatches';
import { acceptInspector } from './inspectorConnection';

export const INSPECTOR_PATH = /^\/ws\/sessions\/([^/]+)\/inspector$/;
const MAX_CLIENT_FRAME = 4096;

export interface InspectorSocketDeps {
  allowedOrigins: readonly string[];
  cookies: LearnerCookies;
  sessions: LabSessions;
  watches: FirewallWatches;
  log: (message: string) => void;
}

export function inspectorUpgrade(deps: InspectorSocketDeps): {
  handle(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
} {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME, perMessageDeflate: false });
  return {
    handle(req, socket, head) {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      const match = INSPECTOR_PATH.exec(pathname);
      if (!match) return false;
      if (!originAllowed(req.headers.origin, req.headers.host, deps.allowedOrigins)) {
        refuseUpgrade(socket, 403, 'Forbidden');
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const learnerId = deps.cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE));
        if (!learnerId) {
          ws.close(CloseCode.UNAUTHORIZED, 'Not signed in');
          return;
        }
        const labSessionId = decodeSegment(match[1]);
        const session = deps.sessions.getOwned(labSessionId, learnerId);
        if (!session) {
          ws.close(CloseCode.NOT_FOUND, 'No such lab');
          return;
        }
        if (session.status === 'ended') {
          ws.close(CloseCode.LAB_ENDED, 'The lab has ended');
          return;
        }
        acceptInspector(ws, session.id, deps.watches, deps.log);
      });
      return true;
    },
    close() {
      for (const client of wss.clients) client.close(1001, 'The server is shutting down');
    },
  };
}
