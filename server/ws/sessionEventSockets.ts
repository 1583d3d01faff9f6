import type { WebSocket } from 'ws';
import type { SessionView } from '../http/sessionView';
import type { LabSessions } from '../sessions/LabSessions';
import type { LabSession } from '../sessions/labSessionTypes';
import { CloseCode } from './protocol';
import type { SessionEvent } from './sessionEventsProtocol';

export interface SessionEventDeps {
  sessions: LabSessions;
  view: (session: LabSession) => SessionView;
}

/**
 * The learner's event channel (/ws/sessions/:labSessionId/events): pushes what happens to their
 * lab to their page as it happens: resets (and by whom, so the page can say so and show the new
 * addresses), sleep, messages and the end. The page sends nothing.
 */
export function streamSessionEvents(ws: WebSocket, session: LabSession, deps: SessionEventDeps): void {
  const labSessionId = session.id;
  const send = (event: SessionEvent): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
  };
  ws.on('message', () => undefined);
  const off = deps.sessions.on((event) => {
    if (event.session.id !== labSessionId) return;
    if (event.type === 'resetting') send({ type: 'resetting', by: event.by });
    else if (event.type === 'reset') send({ type: 'reset', by: event.by, session: deps.view(event.session) });
    else if (event.type === 'message') send({ type: 'message', text: event.text, at: event.at });
    else if (event.type === 'sleeping')
      send({ type: 'asleep', reason: event.reason, session: deps.view(event.session) });
    else if (event.type === 'woken') send({ type: 'woken', session: deps.view(event.session) });
    else if (event.type === 'broken')
      send({ type: 'broken', message: event.session.problem ?? 'A machine stopped unexpectedly' });
    else if (event.type === 'recovered') send({ type: 'recovered', session: deps.view(event.session) });
    else if (event.type === 'ended') {
      send({ type: 'ended', reason: event.reason });
      ws.close(CloseCode.LAB_ENDED, 'The lab has ended');
    }
  });
  ws.on('close', off);
  send({ type: 'session', session: deps.view(session) });
}
