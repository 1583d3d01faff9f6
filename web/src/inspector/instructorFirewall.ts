import { FirewallView } from './FirewallView';

/** The Firewall view of a learner's lab, for the instructor's dashboard (instructor cookie). */
export function instructorFirewall(sessionId: string): {
  element: HTMLElement;
  show(): void;
  hide(): void;
  dispose(): void;
} {
  const ws = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  const view = new FirewallView(`${ws}/ws/instructor/inspect/${encodeURIComponent(sessionId)}`);
  const element = document.createElement('div');
  element.className = 'firewall-watch';
  element.append(view.element);
  return {
    element,
    show: () => view.show(),
    hide: () => view.hide(),
    dispose: () => {
      view.hide();
      element.remove();
    },
  };
}
