import type { SessionView } from '../api';
import type { Disposable } from './disposable';
import { pageKey } from './pageKeys';
import { showPane } from './paneSwitch';
import { TerminalView } from './TerminalView';

type Machine = SessionView['machines'][number];

/**
 * One tab per machine (an ARIA tablist: arrow keys, Home and End move between machines), each
 * labelled with the machine's name and its current addresses; all terminals stay connected.
 */
export class TerminalTabs implements Disposable {
  private readonly views = new Map<string, TerminalView>();
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly order: string[];
  private selected = '';
  /** Split view: the two machines on screen, left and right. */
  private split = false;
  private readonly shown: [string, string] = ['', ''];
  private readonly onKey = (event: KeyboardEvent): void => {
    const key = pageKey(event);
    if (!key || key.kind === 'step') return;
    event.preventDefault();
    if (key.kind === 'leave') this.buttons.get(this.selected)?.focus();
    else if (this.order[key.index]) this.select(this.order[key.index] ?? '', { focus: 'terminal' });
  };

  constructor(
    private readonly tabBar: HTMLElement,
    private readonly panes: HTMLElement,
    session: SessionView,
  ) {
    this.order = session.machines.map((m) => m.id);
    const origin = location.origin.replace(/^http/, 'ws');
    for (const machine of session.machines) this.tabBar.append(this.tab(machine));
    tabBar.addEventListener('keydown', (event) => this.arrowKeys(event));
    this.update(session);
    // The first terminal gets the main thread to itself until it is usable; the others follow.
    const [first, ...rest] = session.machines;
    const buildRest = (): void => {
      for (const machine of rest) this.addView(machine, origin);
      this.select(this.selected, { focus: 'none' });
    };
    if (first) {
      const view = this.addView(first, origin);
      this.select(first.id, { focus: 'terminal' });
      void Promise.race([view.connected, new Promise((r) => window.setTimeout(r, 1500))]).then(() =>
        window.setTimeout(buildRest, 50),
      );
    } else {
      buildRest();
    }
    window.addEventListener('keydown', this.onKey);
  }

  get machineIds(): readonly string[] {
    return this.order;
  }

  /** The addresses follow the session: after any reset the labels show the fresh machines'. */
  update(session: SessionView): void {
    for (const machine of session.machines) {
      const address = this.buttons.get(machine.id)?.querySelector('small');
      if (address) address.textContent = Object.values(machine.addresses).join(' · ');
    }
  }

  select(machineId: string, { focus }: { focus: 'terminal' | 'tab' | 'none' } = { focus: 'terminal' }): void {
    if (!this.buttons.has(machineId)) return;
    // In split view a machine not on screen takes the place of the one not being used.
    if (!this.shown.includes(machineId)) this.shown[this.shown[0] === this.selected ? 1 : 0] = machineId;
    this.selected = machineId;
    for (const [id, button] of this.buttons) {
      const active = id === machineId;
      button.setAttribute('aria-selected', String(active));
      button.tabIndex = active ? 0 : -1;
    }
    if (focus === 'terminal') showPane('console');
    for (const [id, view] of this.views) {
      const active = id === machineId;
      view.element.classList.toggle('active', active);
      view.element.classList.toggle('split-left', this.split && this.shown[0] === id);
      view.element.classList.toggle('split-right', this.split && this.shown[1] === id);
      if (active && focus === 'terminal') view.focus();
    }
    if (focus === 'tab') this.buttons.get(machineId)?.focus();
  }

  /** The keyboard goes back to the terminal on screen (after a reset or a resume). */
  focusSelected(): void {
    this.select(this.selected, { focus: 'terminal' });
  }

  /** Two machines side by side (the one in use and the one used before), or one at a time. */
  setSplit(on: boolean): void {
    this.split = on;
    this.panes.classList.toggle('split', on);
    if (on && (!this.shown[0] || !this.shown[1] || this.shown[0] === this.shown[1])) {
      const other = this.order.find((id) => id !== this.selected) ?? this.selected;
      this.shown[0] = this.selected;
      this.shown[1] = other;
    }
    this.select(this.selected, { focus: 'none' });
  }

  /** Sends keys to the terminal on screen, keeping the focus there. */
  typeIntoSelected(text: string): void {
    this.views.get(this.selected)?.type(text);
    this.views.get(this.selected)?.focus();
  }

  /** Types text into a machine's terminal, as if the learner had typed it there. */
  typeInto(machineId: string, text: string): void {
    this.select(machineId, { focus: 'terminal' });
    this.views.get(machineId)?.type(text);
  }

  /** After the machines came back or were replaced: every closed terminal connects to a fresh shell. */
  reconnectAll(): void {
    for (const view of this.views.values()) view.reconnect();
  }

  set screenReaderMode(on: boolean) {
    for (const view of this.views.values()) view.screenReaderMode = on;
  }

  clearAll(): void {
    for (const view of this.views.values()) view.clear();
  }

  dispose(): void {
    window.removeEventListener('keydown', this.onKey);
    for (const view of this.views.values()) view.dispose();
    this.views.clear();
    this.tabBar.replaceChildren();
  }

  private tab(machine: Machine): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.role = 'tab';
    button.className = 'tab';
    button.id = `tab-${machine.id}`;
    button.dataset.machine = machine.id;
    button.setAttribute('aria-controls', `pane-${machine.id}`);
    button.setAttribute('aria-selected', 'false');
    button.tabIndex = -1;
    const name = document.createElement('span');
    name.textContent = machine.label;
    button.append(name, document.createElement('small'));
    button.addEventListener('click', (event) =>
      this.select(machine.id, { focus: event.detail === 0 ? 'none' : 'terminal' }),
    );
    this.buttons.set(machine.id, button);
    return button;
  }

  private addView(machine: Machine, origin: string): TerminalView {
    const view = new TerminalView(this.panes, machine.id, origin + machine.terminalUrl);
    view.element.id = `pane-${machine.id}`;
    view.element.setAttribute('role', 'tabpanel');
    view.element.setAttribute('aria-labelledby', `tab-${machine.id}`);
    this.views.set(machine.id, view);
    return view;
  }

  /** Arrow keys, Home and End move along every tab in the bar (other views may add their own tabs). */
  private arrowKeys(event: KeyboardEvent): void {
    const all = [...this.tabBar.querySelectorAll<HTMLElement>('[role="tab"]')];
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = all[(next + all.length) % all.length];
    tab?.click();
    tab?.focus();
  }
}
