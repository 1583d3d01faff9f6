/**
 * The lab page's event channel: one WebSocket per open lab page, server -> page only, JSON text
 * frames. Shared by the server and the page (type imports only, so the bundle stays small).
 */
import type { SessionView } from '../http/sessionView';
import type { EndReason, ResetBy, SleepReason } from '../sessions/labSessionTypes';

export type SessionEvent =
  /** Sent on connect, so a page that was away catches up. */
  | { type: 'session'; session: SessionView }
  /** Fresh machines are coming (terminals close with 4011 and reconnect). */
  | { type: 'resetting'; by: ResetBy }
  /** Fresh machines are ready: every address on the page follows `session`. */
  | { type: 'reset'; by: ResetBy; session: SessionView }
  /** The machines are stopping, files kept (terminals close with 4013); Resume wakes them. */
  | { type: 'asleep'; reason: SleepReason; session: SessionView }
  /** The machines booted again: only saved rules are loaded. Terminals can reconnect. */
  | { type: 'woken'; session: SessionView }
  /** A machine stopped unexpectedly: show `message` (it says to reset); terminals are closed with 4012. */
  | { type: 'broken'; message: string }
  /** The machines run again: reconnect the terminals. */
  | { type: 'recovered'; session: SessionView }
  /** A message from the instructor, shown as a banner. */
  | { type: 'message'; text: string; at: number }
  /** The lab is over; the socket closes after this. */
  | { type: 'ended'; reason: EndReason };

export function sessionEventsPath(labSessionId: string): string {
  return `/ws/sessions/${encodeURIComponent(labSessionId)}/events`;
}
