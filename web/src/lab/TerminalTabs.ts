import type { SessionView } from '../api';
import type { Disposable } from './disposable';
import { TerminalView } from './TerminalView';

/** One tab per machine, labelled with its name and address; all terminals stay connected. */
export class TerminalTabs implements Disposable {
  private readonly views = new Map<string, TerminalView>();
  private readonly buttons = new Map<string, HTMLButtonElement>();

  constructor(
    private readonly tabBar: HTMLElement,
    panes: HTMLElement,
    session: SessionView,
  ) {
    const origin = location.origin.replace(/^http/, 'ws');
    for (const machine of session.machines) {
      const button = document.createElement('button');
      button.type = 'button';
      button.role = 'tab';
      button.className = 'tab';
      button.dataset.machine = machine.id;
      const name = document.createElement('span');
      name.textContent = machine.label;
      const address = document.createElement('small');
      address.textContent = Object.values(machine.addresses).join(' · ');
      button.append(name, address);
      button.addEventListener('click', () => this.select(machine.id));
      if (machine !== session.machines[0]) button.setAttribute('aria-selected', 'false');
      tabBar.append(button);
      this.buttons.set(machine.id, button);
    }
    // The first terminal gets the main thread to itself until it is usable; the others follow.
    const [first, ...rest] = session.machines;
    const buildRest = (): void => {
      for (const machine of rest)
        this.views.set(machine.id, new TerminalView(panes, machine.id, origin + machine.terminalUrl));
    };
    if (first) {
      const view = new TerminalView(panes, first.id, origin + first.terminalUrl);
      this.views.set(first.id, view);
      this.select(first.id);
      void Promise.race([view.connected, new Promise((r) => window.setTimeout(r, 1500))]).then(() =>
        window.setTimeout(buildRest, 50),
      );
    } else {
      buildRest();
    }
    window.addEventListener('keydown', (event) => {
      // Alt+1..9 switches machines without leaving the keyboard.
      const n = Number(event.key);
      if (event.altKey && n >= 1 && n <= session.machines.length) {
        event.preventDefault();
        const machine = session.machines[n - 1];
        if (machine) this.select(machine.id);
      }
    });
  }

  select(machineId: string): void {
    for (const [id, view] of this.views) {
      const active = id === machineId;
      view.element.classList.toggle('active', active);
      this.buttons.get(id)?.setAttribute('aria-selected', String(active));
      if (active) view.focus();
    }
  }

  clearAll(): void {
    for (const view of this.views.values()) view.clear();
  }

  dispose(): void {
    for (const view of this.views.values()) view.dispose();
    this.views.clear();
    this.tabBar.replaceChildren();
  }
}
