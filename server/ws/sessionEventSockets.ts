import type { WebSocket } from 'ws';
import type { LabCatalog } from '../../labkit/catalog';
import type { GradingEngine } from '../grading/GradingEngine';
import { stepsViewOf } from '../grading/stepsViewOf';
import type { SessionView } from '../../protocol/sessionView';
import type { LabSessions } from '../sessions/LabSessions';
import type { LabSession } from '../sessions/labSessionTypes';
import { CloseCode } from '../../protocol/terminal';
import type { SessionEvent } from '../../protocol/sessionEvents';

export interface SessionEventDeps {
  sessions: LabSessions;
  catalog: LabCatalog;
  /** Without an engine the lab has no steps, so no verdicts travel. */
  grading: GradingEngine | undefined;
  view: (session: LabSession) => SessionView;
}

/**
 * The learner's event channel (/ws/sessions/:sessionId/events): pushes everything the lab page
 * shows as it happens: resets (and by whom), sleep, idle and age warnings, activity that lifts a
 * warning, verdicts with the steps they change, messages and the end. On connect it sends the
 * session and the steps, so a page that reconnects is in sync again. The page sends nothing.
 */
export function streamSessionEvents(ws: WebSocket, session: LabSession, deps: SessionEventDeps): void {
  const sessionId = session.id;
  const send = (event: SessionEvent): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
  };
  const steps = () => {
    const lab = deps.catalog.get(session.labId);
    return lab && deps.grading ? stepsViewOf(session, lab, deps.grading) : undefined;
  };
  const sendSteps = (): void => {
    const view = steps();
    if (view) send({ type: 'steps', steps: view });
  };
  ws.on('message', () => undefined);
  const offSessions = deps.sessions.on((event) => {
    if (event.session.id !== sessionId) return;
    const view = (): SessionView => deps.view(event.session);
    if (event.type === 'resetting') send({ type: 'resetting', by: event.by });
    else if (event.type === 'reset') {
      send({ type: 'reset', by: event.by, session: view() });
      // Fresh machines have fresh addresses in the instructions.
      sendSteps();
    } else if (event.type === 'message') send({ type: 'message', text: event.text, at: event.at });
    else if (event.type === 'sleeping') send({ type: 'asleep', reason: event.reason, session: view() });
    else if (event.type === 'woken') {
      send({ type: 'woken', session: view() });
      // Machines that had to move while asleep have new addresses in the instructions too.
      if (event.session.lastWake?.addressesChanged || event.session.lastWake?.freshMachines) sendSteps();
    } else if (event.type === 'idle-warning') send({ type: 'idle-warning', session: view() });
    else if (event.type === 'age-warning') send({ type: 'age-warning', session: view() });
    else if (event.type === 'activity') send({ type: 'activity', session: view() });
    else if (event.type === 'broken')
      send({ type: 'broken', message: event.session.problem ?? 'A machine stopped unexpectedly' });
    else if (event.type === 'recovered') send({ type: 'recovered', session: view() });
    else if (event.type === 'ended') {
      send({ type: 'ended', reason: event.reason });
      ws.close(CloseCode.LAB_ENDED, 'The lab has ended');
    }
  });
  const offVerdicts = deps.grading?.onResult((id, outcome) => {
    if (id !== sessionId) return;
    const view = steps();
    if (view) send({ type: 'verdict', verdict: outcome, steps: view });
  });
  ws.on('close', () => {
    offSessions();
    offVerdicts?.();
  });
  send({ type: 'session', session: deps.view(session) });
  sendSteps();
}
