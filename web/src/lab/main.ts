import '@xterm/xterm/css/xterm.css';
import '../styles.css';
import { api, ApiError, type LabDetails, type SessionView } from '../api';
import { watchIdle } from './idleWarning';
import { renderInstructions } from './instructions';
import { mountSteps } from '../steps/stepsPanel';
import { TerminalTabs } from './TerminalTabs';
import { mountFirewallTab } from '../inspector/firewallTab';
import { topologyDiagram } from './topologyDiagram';

const $ = <T extends HTMLElement>(selector: string): T => {
  const node = document.querySelector<T>(selector);
  if (!node) throw new Error(`page is missing ${selector}`);
  return node;
};

function showEnded(message: string): void {
  $('#ended-text').textContent = message;
  $<HTMLDialogElement>('#ended').showModal();
}

async function main(): Promise<void> {
  const sessionId = new URLSearchParams(location.search).get('session');
  if (!sessionId) return location.replace('/');
  let session: SessionView;
  try {
    session = await api<SessionView>(`/api/sessions/${encodeURIComponent(sessionId)}`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 401))
      return showEnded('This lab is not running (it ended, or belongs to someone else).');
    throw error;
  }
  document.title = `${session.title} · iptables-lab`;
  $('#lab-title').textContent = session.title;
  $('#topology').replaceChildren(topologyDiagram(session));

  const tabs = new TerminalTabs($('#tabs'), $('#terminals'), session);
  mountFirewallTab($('#tabs'), $('#terminals'), session);
  const lab = await api<LabDetails>(session.links.lab);
  renderInstructions($('#instructions'), lab, session);
  mountSteps($('#instructions'), session.id);

  watchIdle(
    session,
    $('#idle'),
    () => {
      tabs.dispose();
      showEnded('This lab has ended.');
    },
    (next) => {
      session = next;
    },
  );

  const confirmReset = $<HTMLDialogElement>('#confirm-reset');
  $('#reset').addEventListener('click', () => confirmReset.showModal());
  confirmReset.addEventListener('close', () => {
    if (confirmReset.returnValue !== 'reset') return;
    $('#status').textContent = 'Resetting the lab…';
    tabs.clearAll();
    api<SessionView>(session.links.reset, { method: 'POST' })
      .then((next) => {
        session = next;
        $('#topology').replaceChildren(topologyDiagram(next));
        renderInstructions($('#instructions'), lab, next);
        $('#status').textContent = 'Fresh machines are ready.';
      })
      .catch(
        (error: unknown) =>
          ($('#status').textContent = `Reset failed: ${error instanceof Error ? error.message : String(error)}`),
      );
  });
  $('#end').addEventListener('click', () => {
    if (!window.confirm('End this lab? Its machines are destroyed.')) return;
    void api(session.links.end, { method: 'DELETE' }).finally(() => {
      tabs.dispose();
      location.assign('/');
    });
  });
  $('#help-button').addEventListener('click', () => $<HTMLDialogElement>('#help').showModal());
}

main().catch((error: unknown) =>
  showEnded(`The lab page could not load: ${error instanceof Error ? error.message : String(error)}`),
);
