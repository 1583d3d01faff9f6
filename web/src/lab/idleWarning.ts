import { api, ApiError, type SessionView } from '../api';

/**
 * Watches the session's idle deadline and warns before the reaper ends the lab, with a button
 * that counts as activity. Polls the server (typing in a terminal also postpones the deadline).
 */
export function watchIdle(
  session: SessionView,
  banner: HTMLElement,
  onEnded: () => void,
  onUpdate: (session: SessionView) => void,
): () => void {
  let current = session;
  let stopped = false;
  const failed = (error: unknown): void => {
    // Only a vanished session means the lab ended; a network hiccup just waits for the next poll.
    if (error instanceof ApiError && (error.status === 404 || error.status === 401)) onEnded();
  };
  const text = banner.querySelector<HTMLElement>('.idle-text');
  const keep = banner.querySelector<HTMLButtonElement>('button');
  keep?.addEventListener('click', () => {
    void api<SessionView>(current.links.keepalive, { method: 'POST' }).then(update, failed);
  });
  const update = (next: SessionView): void => {
    // A poll answered after the lab ended must not bring the banner back over the ended dialog.
    if (stopped) return;
    current = next;
    onUpdate(next);
    tick();
  };
  const tick = (): void => {
    const left = Date.parse(current.idleExpiresAt) - Date.now();
    // Nothing runs down while the lab is asleep.
    const awake = current.status === 'ready';
    const warn = awake && left <= current.idleWarningSeconds * 1000;
    // The lab's maximum age: keeping busy does not postpone it, so no button.
    const ageLeft = Date.parse(current.expiresAt) - Date.now();
    const ageWarn = awake && ageLeft <= current.expiryWarningSeconds * 1000 && ageLeft < left;
    banner.hidden = !warn && !ageWarn;
    if (keep) keep.hidden = ageWarn;
    if (ageWarn && text) {
      text.textContent = `This lab reaches its time limit and ends in ${clock(ageLeft)}. Start a new lab afterwards to carry on.`;
    } else if (warn && text) {
      text.textContent = `You have been idle. This lab goes to sleep in ${clock(left)} unless you keep working; your files are kept.`;
    }
  };
  const poll = (): void => {
    void api<SessionView>(current.links.self).then(update, failed);
  };
  const ticker = window.setInterval(tick, 1000);
  const poller = window.setInterval(poll, 10_000);
  tick();
  return () => {
    stopped = true;
    banner.hidden = true;
    window.clearInterval(ticker);
    window.clearInterval(poller);
  };
}

function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
