import type { WebSocket } from 'ws';
import type { LabSessions } from '../sessions/LabSessions';
import { CloseCode, frame, ServerOp } from '../../protocol/terminal';
import type { ClassFeeds } from '../classroom/ClassFeeds';
import type { ClassesRepo } from '../store/ClassesRepo';
import { sessionIdSchema } from '../sessions/ids';
import { classIdSchema, machineIdSchema } from '../classroom/ids';
import { HttpError } from '../http/HttpError';
import { instructorSocket, type WsRoute } from '../ws/wsRoute';

/** Read-only access to a learner's terminal output (TerminalHubs implements it). */
export interface TerminalWatchSource {
  /** Sends the scrollback, then live output, until the returned function is called. */
  watch(sessionId: string, machineId: string, onOutput: (chunk: Buffer) => void): () => void;
}

export interface DashboardSocketDeps {
  classes: ClassesRepo;
  feeds: ClassFeeds;
  sessions: LabSessions;
  terminals: TerminalWatchSource;
}

/** A watcher this far behind is dropped rather than buffered: it must never slow the learner. */
const MAX_BUFFERED = 2 * 1024 * 1024;

/**
 * The instructor's sockets (the dispatcher has checked the Origin and the instructor cookie):
 * - /ws/instructor/classes/:classId, the live dashboard: a JSON snapshot on connect, then only
 *   the learner lines that changed (see classChanges.ts), after every change and every few seconds;
 * - /ws/instructor/watch/:sessionId/:machineId, a learner's terminal output, read-only:
 *   nothing the instructor sends is ever read, and the learner's terminal size is never touched.
 * An unknown class, lab or machine is refused with 404 before the upgrade.
 */
export function dashboardSocketRoutes(deps: DashboardSocketDeps): WsRoute[] {
  return [
    instructorSocket('/ws/instructor/classes/:classId', 1024, ({ params }) => {
      const cls = deps.classes.get(classIdSchema.safeParse(params.classId).data ?? '');
      if (!cls) throw new HttpError(404, 'No such class');
      return (ws) => deps.feeds.watch(cls.id, ws);
    }),
    instructorSocket('/ws/instructor/watch/:sessionId/:machineId', 1024, ({ params }) => {
      const sessionId = sessionIdSchema.safeParse(params.sessionId);
      const machineId = machineIdSchema.safeParse(params.machineId);
      const session = sessionId.success ? deps.sessions.get(sessionId.data) : undefined;
      const machine = session?.deployment?.machines.find((m) => m.id === machineId.data);
      if (!session || !machine) throw new HttpError(404, 'No such lab or machine');
      return (ws) => watch(ws, session.id, machine.id, deps);
    }),
  ];
}

function watch(ws: WebSocket, sessionId: string, machineId: string, deps: DashboardSocketDeps): void {
  // Whatever the instructor's page sends is dropped on the floor: this view is read-only.
  ws.on('message', () => undefined);
  const stop = deps.terminals.watch(sessionId, machineId, (chunk) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED)
      return ws.close(CloseCode.FELL_BEHIND, 'The view fell too far behind; catching up');
    ws.send(frame(ServerOp.OUTPUT, chunk));
  });
  const offEnded = deps.sessions.on((event) => {
    if (event.session.id === sessionId && event.type === 'ended') ws.close(4008, 'The lab has ended');
  });
  ws.on('close', () => {
    stop();
    offEnded();
  });
}
