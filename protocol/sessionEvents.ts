/**
 * The lab page's event channel: one WebSocket per open lab page, server -> page only, JSON text
 * frames.
 */
import type { CheckView, StepsView } from './stepsViews';
import type { EndReason, ResetBy, SessionView, SleepReason } from './sessionView';

export type SessionEvent =
  /** Sent on connect, so a page that was away catches up. */
  | { type: 'session'; session: SessionView }
  /** The steps with their states: on connect (after `session`) and after a reset. */
  | { type: 'steps'; steps: StepsView }
  /** A check finished (a Check button, an auto-check, a re-check after a reset): its verdict and the steps after it. */
  | { type: 'verdict'; verdict: CheckView; steps: StepsView }
  /** The lab goes to sleep at `session.idleExpiresAt` unless the learner keeps working. */
  | { type: 'idle-warning'; session: SessionView }
  /** The lab ends at `session.expiresAt` (its maximum age); activity does not postpone it. */
  | { type: 'age-warning'; session: SessionView }
  /** The learner was active while warned: the idle warning is lifted (`session.idleExpiresAt` moved). */
  | { type: 'activity'; session: SessionView }
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

export function sessionEventsPath(sessionId: string): string {
  return `/ws/sessions/${encodeURIComponent(sessionId)}/events`;
}
