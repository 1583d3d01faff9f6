import { api, type SessionView } from '../api';
import type { LabSessionState } from './LabSessionState';

/**
 * The warning before an idle lab goes to sleep (with a button that counts as activity) or before
 * it reaches its time limit. The server says when to warn and when activity lifted the warning;
 * the page only counts down between those events, so it asks the server nothing.
 */
export function idleBanner(state: LabSessionState, banner: HTMLElement): () => void {
  const text = banner.querySelector<HTMLElement>('.idle-text');
  const keep = banner.querySelector<HTMLButtonElement>('button');
  let idleWarned = false;
  let ageWarned = false;
  let ticker: number | undefined;
  keep?.addEventListener('click', () => {
    // Activity: the server answers on the event socket by lifting the warning.
    void api(state.session.links.keepalive, { method: 'POST' }).catch(() => undefined);
  });

  const tick = (): void => {
    const session = state.session;
    const awake = session.status === 'ready';
    const idleLeft = Date.parse(session.idleExpiresAt) - Date.now();
    const ageLeft = Date.parse(session.expiresAt) - Date.now();
    const showAge = awake && ageWarned && (!idleWarned || ageLeft < idleLeft);
    const showIdle = awake && idleWarned && !showAge;
    banner.hidden = !showAge && !showIdle;
    if (keep) keep.hidden = showAge;
    if (showAge && text) {
      text.textContent = `This lab reaches its time limit and ends in ${clock(ageLeft)}. Start a new lab afterwards to carry on.`;
    } else if (showIdle && text) {
      text.textContent = `You have been idle. This lab goes to sleep in ${clock(idleLeft)} unless you keep working; your files are kept.`;
    }
    if (banner.hidden) {
      window.clearInterval(ticker);
      ticker = undefined;
    } else ticker ??= window.setInterval(tick, 1000);
  };

  /** A fresh copy of the session (on connect): is it inside a warning window already? */
  const judge = (session: SessionView): void => {
    const now = Date.now();
    idleWarned = Date.parse(session.idleExpiresAt) - now <= session.idleWarningSeconds * 1000;
    ageWarned = Date.parse(session.expiresAt) - now <= session.expiryWarningSeconds * 1000;
  };

  const off = state.on((event) => {
    if (event.type === 'session') judge(event.session);
    else if (event.type === 'idle-warning') idleWarned = true;
    else if (event.type === 'age-warning') ageWarned = true;
    else if (event.type === 'activity') idleWarned = false;
    else if (event.type === 'reset' || event.type === 'woken' || event.type === 'asleep' || event.type === 'ended')
      // Fresh or woken machines start both clocks again; a sleeping lab runs down nothing.
      idleWarned = ageWarned = false;
    else return;
    tick();
  });
  return () => {
    off();
    window.clearInterval(ticker);
    banner.hidden = true;
  };
}

function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
