import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { originAllowed } from '../auth/origin';
import type { LabSessions } from '../sessions/LabSessions';
import { frame, ServerOp } from '../ws/protocol';
import type { SnapshotDeps } from './classSnapshot';
import { ClassFeeds } from './ClassFeeds';
import type { RosterWarming } from './RosterWarming';
import type { ClassroomChanges } from './ClassroomChanges';
import { labSessionIdSchema } from '../sessions/ids';
import { classIdSchema, machineIdSchema } from './ids';
import type { InstructorTokens } from './instructorToken';
import { instructorCookie } from './requestGuards';
import { decodeSegment, refuseUpgrade } from '../ws/refuseUpgrade';

/** Read-only access to a learner's terminal output (TerminalHubs implements it). */
export interface TerminalWatchSource {
  /** Sends the scrollback, then live output, until the returned function is called. */
  watch(labSessionId: string, machineId: string, onOutput: (chunk: Buffer) => void): () => void;
}

export interface DashboardSocketDeps {
  allowedOrigins: readonly string[];
  tokens: InstructorTokens;
  snapshot: SnapshotDeps;
  changes: ClassroomChanges;
  sessions: LabSessions;
  terminals: TerminalWatchSource;
  /** Opens the Firewall view of a learner's lab on an upgraded socket (server/inspector). */
  inspect?: (ws: WebSocket, labSessionId: string) => void;
  /** Warms labs for the learners of a class whose dashboard is open. */
  warming?: RosterWarming;
  log: (message: string) => void;
}

export const INSTRUCTOR_WS_PREFIX = '/ws/instructor/';
const CLASS_PATH = /^\/ws\/instructor\/classes\/([^/]+)$/;
const WATCH_PATH = /^\/ws\/instructor\/watch\/([^/]+)\/([^/]+)$/;
const INSPECT_PATH = /^\/ws\/instructor\/inspect\/([^/]+)$/;
/** A watcher this far behind is dropped rather than buffered: it must never slow the learner. */
const MAX_BUFFERED = 2 * 1024 * 1024;

/**
 * /ws/instructor/classes/:classId — the live dashboard: a JSON snapshot on connect, then only the
 * learner lines that changed (see classChanges.ts), after every change and every few seconds.
 * /ws/instructor/watch/:labSessionId/:machineId — a learner's terminal output, read-only:
 * nothing the instructor sends is ever read, and the learner's terminal size is never touched.
 * Both check the Origin (403) and the instructor cookie (401) before upgrading.
 */
export function attachDashboardSockets(server: http.Server, deps: DashboardSocketDeps): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false });
  const feeds = new ClassFeeds(deps.snapshot, deps.changes, deps.log, deps.warming);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!pathname.startsWith(INSTRUCTOR_WS_PREFIX)) return;
    socket.on('error', () => socket.destroy());
    if (!originAllowed(req.headers.origin, req.headers.host, deps.allowedOrigins))
      return refuseUpgrade(socket, 403, 'Forbidden');
    const cookie = instructorCookie(req);
    if (!cookie || !deps.tokens.verify(cookie)) return refuseUpgrade(socket, 401, 'Unauthorized');
    const classMatch = CLASS_PATH.exec(pathname);
    const watchMatch = WATCH_PATH.exec(pathname);
    if (classMatch) {
      const cls = deps.snapshot.store.classes.get(classIdSchema.safeParse(decodeSegment(classMatch[1])).data ?? '');
      if (!cls) return refuseUpgrade(socket, 404, 'Not Found');
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', (error) => deps.log(`dashboard socket: ${error.message}`));
        feeds.watch(cls.id, ws);
      });
    } else if (watchMatch) {
      const labSessionId = labSessionIdSchema.safeParse(decodeSegment(watchMatch[1]));
      const machineId = machineIdSchema.safeParse(decodeSegment(watchMatch[2]));
      const session = labSessionId.success ? deps.sessions.get(labSessionId.data) : undefined;
      const machine = session?.lab?.machines.find((m) => m.id === machineId.data);
      if (!session || !machine) return refuseUpgrade(socket, 404, 'Not Found');
      wss.handleUpgrade(req, socket, head, (ws) => watch(ws, session.id, machine.id, deps));
    } else if (INSPECT_PATH.test(pathname) && deps.inspect) {
      const inspect = deps.inspect;
      const labSessionId = labSessionIdSchema.safeParse(decodeSegment(INSPECT_PATH.exec(pathname)?.[1]));
      const session = labSessionId.success ? deps.sessions.get(labSessionId.data) : undefined;
      if (!session || session.status === 'ended') return refuseUpgrade(socket, 404, 'Not Found');
      wss.handleUpgrade(req, socket, head, (ws) => inspect(ws, session.id));
    } else {
      refuseUpgrade(socket, 404, 'Not Found');
    }
  });
  return wss;
}

function watch(ws: WebSocket, labSessionId: string, machineId: string, deps: DashboardSocketDeps): void {
  ws.on('error', (error) => deps.log(`watch socket: ${error.message}`));
  // Whatever the instructor's page sends is dropped on the floor: this view is read-only.
  ws.on('message', () => undefined);
  const stop = deps.terminals.watch(labSessionId, machineId, (chunk) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) return ws.close(4013, 'The view fell too far behind; reopen it');
    ws.send(frame(ServerOp.OUTPUT, chunk));
  });
  const offEnded = deps.sessions.on((event) => {
    if (event.session.id === labSessionId && event.type === 'ended') ws.close(4008, 'The lab has ended');
  });
  ws.on('close', () => {
    stop();
    offEnded();
  });
}
