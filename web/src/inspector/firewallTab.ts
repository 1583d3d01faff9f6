import type { SessionView } from '../api';
import { FirewallView } from './FirewallView';

/**
 * Adds a "Firewall" tab after the machine tabs. Choosing it hides the terminals and opens the
 * live view; choosing any machine tab again (by click or shortcut) closes it, so the server
 * reads the firewall only while it is on screen.
 */
export function mountFirewallTab(tabBar: HTMLElement, panes: HTMLElement, session: SessionView): { dispose(): void } {
  const wsBase = location.origin.replace(/^http/, 'ws');
  const view = new FirewallView(`${wsBase}/ws/sessions/${encodeURIComponent(session.id)}/inspector`);
  const pane = document.createElement('div');
  pane.className = 'firewall-pane';
  pane.id = 'pane-firewall';
  pane.setAttribute('role', 'tabpanel');
  pane.setAttribute('aria-labelledby', 'tab-firewall');
  pane.append(view.element);
  panes.append(pane);

  const button = document.createElement('button');
  button.type = 'button';
  button.role = 'tab';
  button.className = 'tab';
  button.id = 'tab-firewall';
  button.setAttribute('aria-controls', 'pane-firewall');
  button.setAttribute('aria-selected', 'false');
  const name = document.createElement('span');
  name.textContent = 'Firewall';
  const sub = document.createElement('small');
  sub.textContent = 'Machine 1, live';
  button.append(name, sub);
  tabBar.append(button);

  let shown = false;
  const setShown = (on: boolean): void => {
    if (on === shown) return;
    shown = on;
    panes.dataset.view = on ? 'firewall' : 'terminals';
    button.setAttribute('aria-selected', String(on));
    if (on) {
      for (const other of tabBar.querySelectorAll('[role="tab"]'))
        if (other !== button) other.setAttribute('aria-selected', 'false');
      view.show();
    } else view.hide();
  };
  button.addEventListener('click', () => setShown(true));
  // The terminal tabs mark their choice with aria-selected; any machine chosen means "terminals".
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
