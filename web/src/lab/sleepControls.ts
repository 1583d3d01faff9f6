import { api, type SessionView } from '../api';
import type { LabSessionState } from './LabSessionState';
import type { TerminalTabs } from './TerminalTabs';
import { errorMessage } from '../errorMessage';

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
  state: LabSessionState;
  tabs: TerminalTabs;
  notify: (message: string) => void;
  status: HTMLElement;
  panel: HTMLElement;
  resumeButton: HTMLButtonElement;
  /** Buttons that make no sense while asleep (Sleep, Reset). */
  awakeOnly: HTMLButtonElement[];
}

/**
 * Sleep and Resume on the lab page. Asleep, the terminals stay closed behind a panel that says
 * what a Resume does (a reboot); woken, they reconnect, the keyboard is back in the terminal and
 * the page says what the reboot kept. The buttons only ask; the event socket says what happened.
 */
export function sleepControls(deps: SleepDeps): { sleep(): void } {
  let sleeping = false;
  const asleep = (): void => {
    if (sleeping) return;
    sleeping = true;
    deps.panel.hidden = false;
    deps.resumeButton.disabled = false;
    deps.resumeButton.textContent = 'Resume';
    for (const button of deps.awakeOnly) button.disabled = true;
    deps.status.textContent = 'Asleep';
  };
  const woken = (next: SessionView): void => {
    if (!sleeping) return;
    sleeping = false;
    // The keyboard goes to the terminal unless the learner is busy elsewhere (an instructor's wake).
    const active = document.activeElement;
    const idleFocus = !active || active === document.body || deps.panel.contains(active);
    deps.panel.hidden = true;
    for (const button of deps.awakeOnly) button.disabled = false;
    deps.status.textContent = '';
    deps.tabs.reconnectAll();
    if (idleFocus) deps.tabs.focusSelected();
    deps.notify(wakeNotice(next));
  };
  const failed = (what: string) => (error: unknown) => {
    deps.status.textContent = `${what} failed: ${errorMessage(error)}`;
    deps.resumeButton.disabled = false;
    deps.resumeButton.textContent = 'Resume';
  };
  deps.state.on((event) => {
    if (event.type === 'asleep') asleep();
    else if (event.type === 'woken') woken(event.session);
    else if (event.type === 'session') {
      if (event.session.status === 'sleeping') asleep();
      else if (sleeping && event.session.status === 'ready') woken(event.session);
    }
  });
  if (deps.state.session.status === 'sleeping') asleep();
  deps.resumeButton.addEventListener('click', () => {
    deps.resumeButton.disabled = true;
    deps.resumeButton.textContent = 'Starting the machines…';
    api(deps.state.session.links.wake, { method: 'POST' }).catch(failed('Resume'));
  });
  return {
    sleep() {
      deps.status.textContent = 'Going to sleep…';
      api(deps.state.session.links.sleep, { method: 'POST' }).catch(failed('Sleep'));
    },
  };
}
