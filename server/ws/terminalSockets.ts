import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LEARNER_COOKIE, readCookie, type LearnerCookies } from '../auth/learnerCookie';
import { originAllowed } from '../auth/origin';
import type { LabCatalog } from '../../labkit/catalog';
import type { LabSessions } from '../sessions/LabSessions';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import { CloseCode, Limits } from './protocol';
import { TerminalConnection } from './TerminalConnection';
import { decodeSegment, refuseUpgrade } from './refuseUpgrade';
import { acceptSessionEvents, SESSION_EVENTS_PATH } from './sessionEventSockets';
import type { SessionView } from '../http/sessionView';
import type { LabSession } from '../sessions/labSessionTypes';
import type { Log } from '../log/Log';
import { INSPECTOR_PATH } from '../inspector/inspectorSockets';

export interface TerminalSocketDeps {
  allowedOrigins: readonly string[];
  cookies: LearnerCookies;
  sessions: LabSessions;
  hubs: TerminalHubs;
  catalog: LabCatalog;
  /** The session as the API shows it, for the page's event channel. */
  view: (session: LabSession) => SessionView;
  log: Log;
}

const TERMINAL_PATH = /^\/ws\/sessions\/([^/]+)\/terminals\/([^/]+)$/;

/**
 * Terminal WebSockets at /ws/sessions/:labSessionId/terminals/:machineId.
 * Before the upgrade: the path (404) and Origin (403). After it, so the page can read the
 * reason: the learner cookie (4001) and ownership of the lab and machine (4004, the same for
 * "does not exist" and "not yours").
 */
export function attachTerminalSockets(server: http.Server, deps: TerminalSocketDeps): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: Limits.maxClientFrameBytes, perMessageDeflate: false });
  wss.on('wsClientError', (error, socket) => {
    deps.log(`bad WebSocket handshake: ${error.message}`, 'warn');
    refuseUpgrade(socket, 400, 'Bad Request');
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    // The instructor's sockets (dashboard, read-only terminal view) answer their own upgrades.
    if (pathname.startsWith('/ws/instructor/')) return;
    // The Firewall view answers its own upgrades.
    if (INSPECTOR_PATH.test(pathname)) return;
    const match = TERMINAL_PATH.exec(pathname);
    const events = SESSION_EVENTS_PATH.exec(pathname);
    if (!match && !events) return refuseUpgrade(socket, 404, 'Not Found');
    if (!originAllowed(req.headers.origin, req.headers.host, deps.allowedOrigins))
      return refuseUpgrade(socket, 403, 'Forbidden');
    if (events)
      return wss.handleUpgrade(req, socket, head, (ws) => acceptSessionEvents(ws, req, decodeSegment(events[1]), deps));
    if (!match) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      (socket as Duplex & { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      ws.on('error', (error) => deps.log(`terminal socket: ${error.message}`, 'warn'));
      accept(ws, req, decodeSegment(match[1]), decodeSegment(match[2]), deps);
    });
  });
  return wss;
}

function accept(
  ws: WebSocket,
  req: http.IncomingMessage,
  labSessionId: string,
  machineId: string,
  deps: TerminalSocketDeps,
): void {
  const learnerId = deps.cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE));
  if (!learnerId) return ws.close(CloseCode.UNAUTHORIZED, 'Not signed in');
  const session = deps.sessions.getOwned(labSessionId, learnerId);
  const machines = session ? (deps.catalog.get(session.labId)?.topology.machines ?? []) : [];
  if (!session || !machines.some((m) => m.id === machineId))
    return ws.close(CloseCode.NOT_FOUND, 'No such lab or machine');
  if (session.status === 'ended') return ws.close(CloseCode.LAB_ENDED, 'The lab has ended');
  if (session.status === 'sleeping') return ws.close(CloseCode.LAB_ASLEEP, 'The lab is asleep; resume it first');
  if (session.status === 'broken')
    return ws.close(CloseCode.MACHINE_STOPPED, session.problem ?? 'A machine stopped unexpectedly');
  new TerminalConnection(ws, { labSessionId, machineId }, deps.sessions, deps.hubs, deps.log);
}
