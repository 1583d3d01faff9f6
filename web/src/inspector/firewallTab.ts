import type { SessionView } from '../api';
import { FirewallView } from './FirewallView';

type Firewall = SessionView['firewalls'][number];

/**
 * Adds a "Firewall" tab after the machine tabs for each firewall the lab shows. Choosing it
 * hides the terminals and opens the live view; choosing any machine tab again (by click or
 * shortcut) closes it, so the server reads the firewall only while it is on screen (a trace
 * started in it keeps running on the server, and shows what it caught when the view is back).
 */
export function mountFirewallTabs(tabBar: HTMLElement, panes: HTMLElement, session: SessionView): { dispose(): void } {
  const tabs = session.firewalls.map((firewall) => mountFirewallTab(tabBar, panes, session, firewall));
  return { dispose: () => tabs.forEach((t) => t.dispose()) };
}

function mountFirewallTab(
  tabBar: HTMLElement,
  panes: HTMLElement,
  session: SessionView,
  firewall: Firewall,
): { dispose(): void } {
  const wsBase = location.origin.replace(/^http/, 'ws');
  const id = session.firewalls.length === 1 ? 'firewall' : `firewall-${firewall.machineId}`;
  const query = `?machine=${encodeURIComponent(firewall.machineId)}`;
  const view = new FirewallView(`${wsBase}/ws/sessions/${encodeURIComponent(session.id)}/inspector${query}`);
  const pane = document.createElement('div');
  pane.className = 'firewall-pane';
  pane.id = `pane-${id}`;
  pane.dataset.firewall = firewall.machineId;
  pane.setAttribute('role', 'tabpanel');
  pane.setAttribute('aria-labelledby', `tab-${id}`);
  pane.append(view.element);
  panes.append(pane);

  const button = document.createElement('button');
  button.type = 'button';
  button.role = 'tab';
  button.className = 'tab';
  button.id = `tab-${id}`;
  button.setAttribute('aria-controls', pane.id);
  button.setAttribute('aria-selected', 'false');
  const name = document.createElement('span');
  name.textContent = 'Firewall';
  const sub = document.createElement('small');
  sub.textContent = `${firewall.label}, live`;
  button.append(name, sub);
  tabBar.append(button);

  let shown = false;
  const setShown = (on: boolean): void => {
    if (on === shown) return;
    shown = on;
    pane.classList.toggle('shown', on);
    if (on) panes.dataset.view = 'firewall';
    else if (!panes.querySelector('.firewall-pane.shown')) panes.dataset.view = 'terminals';
    button.setAttribute('aria-selected', String(on));
    if (on) {
      for (const other of tabBar.querySelectorAll('[role="tab"]'))
        if (other !== button) other.setAttribute('aria-selected', 'false');
      view.show();
    } else view.hide();
  };
  button.addEventListener('click', () => setShown(true));
  // The other tabs mark their choice with aria-selected; any other chosen means "not this one".
  const observer = new MutationObserver(() => {
    if (
      shown &&
      [...tabBar.querySelectorAll('[role="tab"]')].some(
        (t) => t !== button && t.getAttribute('aria-selected') === 'true',
      )
    )
      setShown(false);
  });
  observer.observe(tabBar, { subtree: true, attributes: true, attributeFilter: ['aria-selected'] });
  tabBar.addEventListener('click', (event) => {
    const tab = (event.target as HTMLElement).closest('[role="tab"]');
    if (tab && tab !== button) setShown(false);
  });
  const onVisibility = (): void => {
    if (!shown) return;
    if (document.hidden) view.hide();
    else view.show();
  };
  document.addEventListener('visibilitychange', onVisibility);
  return {
    dispose(): void {
      observer.disconnect();
      document.removeEventListener('visibilitychange', onVisibility);
      view.hide();
      pane.remove();
      button.remove();
    },
  };
}
