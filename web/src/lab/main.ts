import '@xterm/xterm/css/xterm.css';
import '../styles.css';
import './responsive.css';
import './labPanels.css';
import { api, ApiError, type SessionView } from '../api';
import type { SessionEvent } from '../../../protocol/sessionEvents';
import { chooseDialog } from '../confirmDialog';
import { sleepControls } from './sleepControls';
import { idleBanner } from './idleBanner';
import { LabSessionState, machinesMoved } from './LabSessionState';
import { passBadge } from './passBadge';
import { resetControls } from './resetControls';
import { pageKey } from './pageKeys';
import { mountSteps } from '../steps/stepsPanel';
import { rememberScreenReader, screenReaderPreferred } from './screenReaderPreference';
import { SessionEvents } from './SessionEvents';
import { mountPaneSwitch, showPane } from './paneSwitch';
import { mountPaneDivider } from './paneDivider';
import { isTouchScreen, mountTouchKeys } from './touchKeys';
import { TerminalTabs } from './TerminalTabs';
import { mountFirewallTabs } from '../inspector/firewallTab';
import { topologyDiagram } from './topologyDiagram';
import { $ } from '../dom';
import { errorMessage } from '../errorMessage';

const ENDED_TEXT: Record<Extract<SessionEvent, { type: 'ended' }>['reason'], string> = {
  learner: 'You ended this lab. Its machines are gone.',
  instructor: 'Your instructor ended this lab.',
  idle: 'This lab ended because nobody used it for a while.',
  'max-age': 'This lab reached its time limit and ended. Start a new lab to carry on.',
  shutdown: 'The server stopped and ended this lab.',
  failed: 'This lab stopped: its machines could not be started again.',
  expired: 'This lab slept for too long and was removed. Your progress on the steps is kept: start the lab again.',
};

function showEnded(message: string): void {
  $('#idle').hidden = true;
  $('#ended-text').textContent = message;
  const dialog = $<HTMLDialogElement>('#ended');
  if (!dialog.open) dialog.showModal();
}

function notify(message: string): void {
  $('.notice-text').textContent = message;
  $('#notice').hidden = false;
}

async function main(): Promise<void> {
  const sessionId = new URLSearchParams(location.search).get('session');
  if (!sessionId) {
    location.replace('/');
    return;
  }
  let session: SessionView;
  try {
    session = await api<SessionView>(`/api/sessions/${encodeURIComponent(sessionId)}`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 401)) {
      showEnded('This lab is not running (it ended, or belongs to someone else).');
      return;
    }
    throw error;
  }
  document.title = `${session.title} · iptables-lab`;
  $('#lab-title').textContent = session.title;
  $('#topology').replaceChildren(topologyDiagram(session));
  $('#notice button').addEventListener('click', () => ($('#notice').hidden = true));

  const tabs = new TerminalTabs($('#tabs'), $('#terminals'), session);
  const firewall = mountFirewallTabs($('#tabs'), $('#terminals'), session);
  mountPaneSwitch($('.pane-switch'));
  mountPaneDivider($('.workspace'), $('.guide'), $('.console'));
  const split = $('#split-toggle');
  const setSplit = (on: boolean): void => {
    split.setAttribute('aria-pressed', String(on));
    tabs.setSplit(on);
    localStorage.setItem('ipl.split', on ? 'on' : 'off');
  };
  split.addEventListener('click', () => setSplit(split.getAttribute('aria-pressed') !== 'true'));
  if (localStorage.getItem('ipl.split') === 'on') setSplit(true);
  if (isTouchScreen()) mountTouchKeys($('#touch-keys'), (data) => tabs.typeIntoSelected(data));
  const runner = {
    machineLabel: (id: string) => session.machines.find((m) => m.id === id)?.label,
    run: (machineId: string, text: string) => tabs.typeInto(machineId, text),
  };
  const state = new LabSessionState(session);
  const steps = mountSteps($('#instructions'), state, runner);
  passBadge(state, $('.pane-switch button[data-pane="guide"]'));
  const toStep = (): void => {
    showPane('guide');
    steps.focusCurrent();
  };
  window.addEventListener('keydown', (event) => {
    if (pageKey(event)?.kind !== 'step') return;
    event.preventDefault();
    toStep();
  });
  $('#to-step').addEventListener('click', (event) => {
    event.preventDefault();
    toStep();
  });

  let ended = false;
  const end = (message: string): void => {
    if (ended) return;
    ended = true;
    events.dispose();
    stopIdle();
    firewall.dispose();
    tabs.dispose();
    for (const button of document.querySelectorAll<HTMLButtonElement>('#reset, #sleep, #end')) button.disabled = true;
    showEnded(message);
  };
  // Every address on the page follows the session: the tabs, the diagram (the steps come with their own copy).
  state.on((event, before) => {
    if (!('session' in event) || !machinesMoved(before, event.session)) return;
    tabs.update(event.session);
    $('#topology').replaceChildren(topologyDiagram(event.session));
  });
  state.on((event) => {
    if (event.type === 'session' && event.session.status === 'broken' && event.session.problem) {
      $('#status').textContent = event.session.problem;
      notify(event.session.problem);
    } else if (event.type === 'broken') {
      $('#status').textContent = event.message;
      notify(event.message);
    } else if (event.type === 'recovered') {
      $('#status').textContent = '';
      notify('Your machines are running again (your files are kept; the shells are new).');
      tabs.reconnectAll();
    } else if (event.type === 'message') {
      notify(`Message from your instructor: ${event.text}`);
    } else if (event.type === 'ended') {
      end(ENDED_TEXT[event.reason]);
    }
  });
  const stopIdle = idleBanner(state, $('#idle'));
  const sleep = sleepControls({
    state,
    tabs,
    notify,
    status: $('#status'),
    panel: $('#asleep'),
    resumeButton: $<HTMLButtonElement>('#resume'),
    awakeOnly: [$<HTMLButtonElement>('#sleep'), $<HTMLButtonElement>('#reset')],
  });
  $('#sleep').addEventListener('click', () => sleep.sleep());
  const confirm = $<HTMLDialogElement>('#confirm');
  resetControls({
    state,
    tabs,
    notify,
    status: $('#status'),
    confirm,
    resetButton: $<HTMLButtonElement>('#reset'),
    panel: $('#resetting'),
    lifeButtons: [$<HTMLButtonElement>('#reset'), $<HTMLButtonElement>('#sleep'), $<HTMLButtonElement>('#end')],
  });
  // Last: the socket's first events (the session, the steps) find every listener in place.
  const events = new SessionEvents(
    location.origin.replace(/^http/, 'ws') + session.links.events,
    (event) => state.apply(event),
    () => end('This lab has ended.'),
  );

  $('#end').addEventListener('click', () => {
    void chooseDialog(confirm, {
      title: 'End the lab?',
      text:
        'Its machines are destroyed, with every file on them (backups, scans, edited rules); this cannot be undone. ' +
        'Your progress on the steps is kept. To stop for now and keep your files, choose Sleep.',
      ok: 'End lab',
      alt: 'Sleep',
    }).then((choice) => {
      if (choice === 'alt') sleep.sleep();
      if (choice !== 'ok') return;
      void api(session.links.end, { method: 'DELETE' }).finally(() => {
        end(ENDED_TEXT.learner);
        location.assign('/');
      });
    });
  });
  $('#help-button').addEventListener('click', () => $<HTMLDialogElement>('#help').showModal());
  const screenReader = $<HTMLInputElement>('#screen-reader');
  screenReader.checked = screenReaderPreferred();
  screenReader.addEventListener('change', () => {
    rememberScreenReader(screenReader.checked);
    tabs.screenReaderMode = screenReader.checked;
  });
}

main().catch((error: unknown) => showEnded(`The lab page could not load: ${errorMessage(error)}`));
