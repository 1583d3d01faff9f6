import { api, type SessionView } from '../api';
import type { TerminalTabs } from './TerminalTabs';

const REBOOTED = 'The machines booted again and your files are still there.';

/** As after a real reboot, each firewall the lab shows loaded its saved rules; typed ones are gone. */
function rebootNotice(session: SessionView): string {
  const loaded = session.firewalls.map((f) => `${f.label} loaded the rules saved in ${f.rulesFile}`);
  if (loaded.length === 0) return REBOOTED;
  return `${REBOOTED} As after a real reboot, ${loaded.join(', and ')}: rules you had only typed with iptables commands are gone.`;
}
const MOVED_NOTICE =
  ' Their old addresses were taken while they slept, so they have new ones: see the tabs, the diagram and the steps.';
const FRESH_NOTICE =
  'One of your machines could not be found any more, so you have fresh machines: the files you had on them are ' +
  'lost. Your progress on the steps is kept.';

/** What the page says after a Resume, from how it went. */
export function wakeNotice(session: SessionView): string {
  if (session.lastWake?.freshMachines) return FRESH_NOTICE;
  return rebootNotice(session) + (session.lastWake?.addressesChanged ? MOVED_NOTICE : '');
}

export interface SleepDeps {
  session: () => SessionView;
  tabs: TerminalTabs;
  /** The page takes on the session (addresses change only if the machines had to move). */
  follow: (next: SessionView) => void;
  notify: (message: string) => void;
  status: HTMLElement;
  panel: HTMLElement;
  resumeButton: HTMLButtonElement;
  /** Buttons that make no sense while asleep (Sleep, Reset). */
  awakeOnly: HTMLButtonElement[];
}

/**
 * Sleep and Resume on the lab page. Asleep, the terminals stay closed behind a panel that says
 * what a Resume does (a reboot); woken, they reconnect and the page says what the reboot kept.
 */
export function sleepControls(deps: SleepDeps): {
  asleep(next: SessionView): void;
  woken(next: SessionView): void;
  sleep(): void;
} {
  let sleeping = false;
  const asleep = (next: SessionView): void => {
    deps.follow(next);
    if (sleeping) return;
    sleeping = true;
    deps.panel.hidden = false;
    deps.resumeButton.disabled = false;
    deps.resumeButton.textContent = 'Resume';
    for (const button of deps.awakeOnly) button.disabled = true;
    deps.status.textContent = 'Asleep';
  };
  const woken = (next: SessionView): void => {
    deps.follow(next);
    if (!sleeping) return;
    sleeping = false;
    deps.panel.hidden = true;
    for (const button of deps.awakeOnly) button.disabled = false;
    deps.status.textContent = '';
    deps.tabs.reconnectAll();
    deps.notify(wakeNotice(next));
  };
  const failed = (what: string) => (error: unknown) => {
    deps.status.textContent = `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
    deps.resumeButton.disabled = false;
    deps.resumeButton.textContent = 'Resume';
  };
  deps.resumeButton.addEventListener('click', () => {
    deps.resumeButton.disabled = true;
    deps.resumeButton.textContent = 'Starting the machines…';
    api<SessionView>(deps.session().links.wake, { method: 'POST' }).then(woken, failed('Resume'));
  });
  return {
    asleep,
    woken,
    sleep() {
      deps.status.textContent = 'Going to sleep…';
      api<SessionView>(deps.session().links.sleep, { method: 'POST' }).then(asleep, failed('Sleep'));
    },
  };
}
