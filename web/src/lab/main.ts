import '@xterm/xterm/css/xterm.css';
import '../styles.css';
import './responsive.css';
import { api, ApiError, type SessionView } from '../api';
import type { SessionEvent } from '../../../server/ws/sessionEventsProtocol';
import { chooseDialog, confirmDialog } from '../confirmDialog';
import { sleepControls } from './sleepControls';
import { watchIdle } from './idleWarning';
import { mountSteps } from '../steps/stepsPanel';
import { rememberScreenReader, screenReaderPreferred } from './screenReaderPreference';
import { SessionEvents } from './SessionEvents';
import { mountPaneSwitch } from './paneSwitch';
import { mountPaneDivider } from './paneDivider';
import { isTouchScreen, mountTouchKeys } from './touchKeys';
import { TerminalTabs } from './TerminalTabs';
import { mountFirewallTabs } from '../inspector/firewallTab';
import { topologyDiagram } from './topologyDiagram';
import { $ } from '../dom';

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
  const steps = mountSteps($('#instructions'), session.id, runner);

  let ended = false;
  const end = (message: string): void => {
    if (ended) return;
    ended = true;
    events.dispose();
    stopIdle();
    steps.stop();
    firewall.dispose();
    tabs.dispose();
    for (const button of document.querySelectorAll<HTMLButtonElement>('#reset, #sleep, #end')) button.disabled = true;
    showEnded(message);
  };
  /** Every address on the page follows the session: tabs, diagram and steps. */
  const follow = (next: SessionView): void => {
    session = next;
    tabs.update(next);
    $('#topology').replaceChildren(topologyDiagram(next));
    steps.redraw();
  };
  const events = new SessionEvents(
    location.origin.replace(/^http/, 'ws') + session.links.events,
    (event) => {
      if (event.type === 'session') {
        if (JSON.stringify(event.session.machines) !== JSON.stringify(session.machines)) follow(event.session);
        if (event.session.status === 'broken' && event.session.problem) {
          $('#status').textContent = event.session.problem;
          notify(event.session.problem);
        }
      } else if (event.type === 'resetting') {
        $('#status').textContent =
          event.by === 'instructor' ? 'Your instructor is resetting the lab…' : 'Resetting the lab…';
        tabs.clearAll();
      } else if (event.type === 'reset') {
        follow(event.session);
        tabs.reconnectAll();
        $('#status').textContent = '';
        notify(
          event.by === 'instructor'
            ? 'Your instructor reset the lab: fresh machines, with the addresses shown here.'
            : 'The lab was reset: fresh machines, with the addresses shown here.',
        );
      } else if (event.type === 'asleep') {
        sleep.asleep(event.session);
      } else if (event.type === 'woken') {
        sleep.woken(event.session);
      } else if (event.type === 'broken') {
        $('#status').textContent = event.message;
        notify(event.message);
      } else if (event.type === 'recovered') {
        $('#status').textContent = '';
        notify('Your machines are running again (your files are kept; the shells are new).');
        follow(event.session);
        tabs.reconnectAll();
      } else if (event.type === 'message') {
        notify(`Message from your instructor: ${event.text}`);
      } else {
        end(ENDED_TEXT[event.reason]);
      }
    },
    () => end('This lab has ended.'),
  );

  const stopIdle = watchIdle(
    session,
    $('#idle'),
    () => end('This lab has ended.'),
    (next) => {
      session = next;
    },
  );

  const sleep = sleepControls({
    session: () => session,
    tabs,
    follow: (next) => {
      if (JSON.stringify(next.machines) !== JSON.stringify(session.machines)) follow(next);
      else session = next;
    },
    notify,
    status: $('#status'),
    panel: $('#asleep'),
    resumeButton: $<HTMLButtonElement>('#resume'),
    awakeOnly: [$<HTMLButtonElement>('#sleep'), $<HTMLButtonElement>('#reset')],
  });
  if (session.status === 'sleeping') sleep.asleep(session);
  $('#sleep').addEventListener('click', () => sleep.sleep());

  const confirm = $<HTMLDialogElement>('#confirm');
  $('#reset').addEventListener('click', () => {
    void confirmDialog(confirm, {
      title: 'Reset the lab?',
      text: 'All machines are replaced with fresh ones; your changes on them are lost. Your progress on the steps is kept.',
      ok: 'Reset lab',
    }).then((yes) => {
      if (!yes) return;
      $('#status').textContent = 'Resetting the lab…';
      tabs.clearAll();
      api<SessionView>(session.links.reset, { method: 'POST' })
        .then((next) => {
          follow(next);
          tabs.reconnectAll();
          $('#status').textContent = '';
        })
        .catch(
          (error: unknown) =>
            ($('#status').textContent = `Reset failed: ${error instanceof Error ? error.message : String(error)}`),
        );
    });
  });
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

main().catch((error: unknown) =>
  showEnded(`The lab page could not load: ${error instanceof Error ? error.message : String(error)}`),
);
