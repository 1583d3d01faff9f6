import { confirmDialog } from '../confirmDialog';
import { $, el } from '../dom';
import { api } from '../api';
import { ReadOnlyTerminal } from './ReadOnlyTerminal';
import { instructorFirewall } from '../inspector/instructorFirewall';
import { TimelineView } from './TimelineView';
import type { LearnerDetail, LearnerLine } from './types';
import type { CheckTrigger } from '../../../protocol/stepsViews';
import { errorMessage } from '../errorMessage';

const TRIGGER_TEXT = {
  check: 'asked by the learner',
  auto: 'auto-check',
  reset: 'after a reset',
  grade: 'grading run',
} as const satisfies Record<CheckTrigger, string>;

/** Drill-down on one learner: check history, read-only terminals, reset/end actions. */
export class LearnerPanel {
  private learner: LearnerLine | undefined;
  private classId = '';
  private terminals: ReadOnlyTerminal[] = [];
  private watchedSession: string | null = null;
  /** The watched machines and their addresses, so tabs follow a Resume that moved them. */
  private watchedMachines = '';
  private firewall: ReturnType<typeof instructorFirewall> | undefined;
  private firewallClicks: AbortController | undefined;
  private readonly timeline = new TimelineView();

  constructor(private readonly status: (message: string) => void) {
    $('#close-learner').addEventListener('click', () => this.close());
    $('#enlarge-watch').addEventListener('click', () => {
      const on = $('#enlarge-watch').getAttribute('aria-pressed') !== 'true';
      $('#enlarge-watch').setAttribute('aria-pressed', String(on));
      $('#learner').classList.toggle('enlarged', on);
    });
    $('#reset-learner').addEventListener(
      'click',
      () =>
        void this.act(
          'reset',
          'They get fresh machines on the same addresses, and a notice on their page; their progress is kept.',
        ),
    );
    $('#end-learner').addEventListener(
      'click',
      () =>
        void this.act(
          'end',
          'Its machines are destroyed with every file on them (also when the lab is asleep); their progress is kept.',
        ),
    );
    $('#remove-learner').addEventListener('click', () => void this.remove());
    $('#wake-learner').addEventListener('click', () => {
      const learner = this.learner;
      if (!learner) return;
      this.status('Waking the lab…');
      api(`/api/instructor/classes/${this.classId}/learners/${encodeURIComponent(learner.id)}/wake`, {
        method: 'POST',
      })
        .then(() => this.status('The lab is awake again.'))
        .catch((error: unknown) => this.status(errorMessage(error)));
    });
  }

  get openLearnerId(): string | undefined {
    return this.learner?.id;
  }

  open(classId: string, learner: LearnerLine): void {
    if (this.learner?.id !== learner.id) this.closeTerminals();
    this.classId = classId;
    this.learner = learner;
    $('#learner').hidden = false;
    $('#learner-name').textContent = learner.displayName;
    $('#learner').scrollIntoView({ block: 'start' });
    this.timeline.show(classId, learner.id);
    void this.refresh();
  }

  /** Called with every dashboard snapshot: reload history, follow resets. */
  update(learner: LearnerLine | undefined): void {
    if (!this.learner || !learner || learner.id !== this.learner.id) return;
    this.learner = learner;
    this.timeline.show(this.classId, learner.id);
    void this.refresh();
  }

  close(): void {
    this.closeTerminals();
    this.timeline.clear();
    this.learner = undefined;
    $('#learner').hidden = true;
  }

  private async refresh(): Promise<void> {
    const learner = this.learner;
    if (!learner) return;
    const detail = await api<LearnerDetail>(
      `/api/instructor/classes/${this.classId}/learners/${encodeURIComponent(learner.id)}`,
    );
    if (this.learner?.id !== learner.id) return;
    // Values drawn for this learner (their answers differ from their neighbours').
    const parameters = Object.entries(detail.parameters);
    $('#learner-parameters').hidden = parameters.length === 0;
    $('#learner-parameters').textContent =
      `This learner's values: ${parameters.map(([k, v]) => `${k} = ${v}`).join(', ')}`;
    $('#history').replaceChildren(
      ...detail.attempts.map((a) =>
        el(
          'li',
          { className: a.passed ? 'pass' : 'fail', data: { step: a.stepId, trigger: a.trigger } },
          `${new Date(a.at).toLocaleTimeString()} · ${a.stepId} · ${a.passed ? 'passed' : 'failed'} `,
          // The learner's own Check presses stand out from what ran in the background.
          el('span', { className: `trigger trigger-${a.trigger}`, textContent: TRIGGER_TEXT[a.trigger] }),
          ' — ',
          el('span', { textContent: a.message }),
        ),
      ),
    );
    if (detail.attempts.length === 0)
      $('#history').replaceChildren(el('li', { className: 'muted', textContent: 'No checks yet.' }));
    const live = learner.session && learner.session.status !== 'ended' ? learner.session : null;
    $('#wake-learner').hidden = live?.status !== 'sleeping';
    if ((live?.sessionId ?? null) !== this.watchedSession) this.showTerminals(live);
    else if (live && JSON.stringify(live.machines) !== this.watchedMachines) this.relabel(live);
  }

  private showTerminals(session: LearnerLine['session']): void {
    this.closeTerminals();
    this.watchedSession = session?.sessionId ?? null;
    const tabs = $('#watch-tabs');
    const host = $('#watch');
    if (!session) {
      tabs.replaceChildren();
      host.replaceChildren(el('p', { className: 'muted', textContent: 'No running lab.' }));
      return;
    }
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/instructor/watch/${session.sessionId}/`;
    this.watchedMachines = JSON.stringify(session.machines);
    const buttons = session.machines.map((m, i) => {
      const term = new ReadOnlyTerminal(host, base + encodeURIComponent(m.id), m.id);
      term.element.hidden = i !== 0;
      this.terminals.push(term);
      const button = el('button', { className: 'tab', textContent: tabText(m), data: { machine: m.id } });
      button.setAttribute('role', 'tab');
      button.setAttribute('aria-selected', String(i === 0));
      button.addEventListener('click', () => {
        this.terminals.forEach((t) => (t.element.hidden = t !== term));
        tabs.querySelectorAll('button').forEach((b) => b.setAttribute('aria-selected', String(b === button)));
      });
      return button;
    });
    tabs.replaceChildren(...buttons, this.firewallTab(session.sessionId, host, tabs));
  }

  /** The learner's firewall, live, beside their terminals (the view connects only while shown). */
  private firewallTab(sessionId: string, host: HTMLElement, tabs: HTMLElement): HTMLElement {
    const pane = instructorFirewall(sessionId);
    pane.element.hidden = true;
    host.append(pane.element);
    this.firewall = pane;
    const button = el('button', { className: 'tab', textContent: 'Firewall', data: { machine: 'firewall' } });
    button.setAttribute('role', 'tab');
    button.setAttribute('aria-selected', 'false');
    this.firewallClicks = new AbortController();
    tabs.addEventListener(
      'click',
      (event) => {
        const chosen = (event.target as HTMLElement).closest('button');
        if (!chosen) return;
        const on = chosen === button;
        if (on) {
          this.terminals.forEach((t) => (t.element.hidden = true));
          tabs.querySelectorAll('button').forEach((b) => b.setAttribute('aria-selected', String(b === button)));
        }
        pane.element.hidden = !on;
        if (on) pane.show();
        else pane.hide();
      },
      { signal: this.firewallClicks.signal },
    );
    return button;
  }

  /** Same lab, machines moved (a Resume on other addresses): the tabs say where they are now. */
  private relabel(session: NonNullable<LearnerLine['session']>): void {
    this.watchedMachines = JSON.stringify(session.machines);
    for (const m of session.machines) {
      const tab = document.querySelector(`#watch-tabs button[data-machine="${CSS.escape(m.id)}"]`);
      if (tab) tab.textContent = tabText(m);
    }
  }

  private closeTerminals(): void {
    this.firewallClicks?.abort();
    this.firewall?.dispose();
    this.firewall = undefined;
    for (const t of this.terminals) t.dispose();
    this.terminals = [];
    this.watchedSession = null;
    this.watchedMachines = '';
  }

  /** Removes the learner from the class: their sign-in stops working and their lab ends. */
  private async remove(): Promise<void> {
    const learner = this.learner;
    if (!learner) return;
    const confirmed = await confirmDialog($<HTMLDialogElement>('#confirm'), {
      title: `Remove ${learner.displayName} from the class?`,
      text: 'Their sign-in stops working on every device, their lab ends with every file on it, and they leave the dashboard and the grades. The join code still works for anyone you give it to.',
      ok: 'Remove from class',
    });
    if (!confirmed) return;
    this.status('Removing the learner…');
    api(`/api/instructor/classes/${this.classId}/learners/${encodeURIComponent(learner.id)}/remove`, {
      method: 'POST',
    })
      .then(() => {
        this.status(`${learner.displayName} was removed from the class.`);
        this.close();
      })
      .catch((error: unknown) => this.status(errorMessage(error)));
  }

  private async act(action: 'reset' | 'end', text: string): Promise<void> {
    const learner = this.learner;
    if (!learner) return;
    const title = `${action === 'reset' ? 'Reset' : 'End'} ${learner.displayName}'s lab?`;
    if (
      !(await confirmDialog($<HTMLDialogElement>('#confirm'), {
        title,
        text,
        ok: action === 'reset' ? 'Reset lab' : 'End lab',
      }))
    )
      return;
    this.status(action === 'reset' ? 'Resetting the lab…' : 'Ending the lab…');
    api(`/api/instructor/classes/${this.classId}/learners/${encodeURIComponent(learner.id)}/${action}`, {
      method: 'POST',
    })
      .then(() => this.status(action === 'reset' ? 'The lab was reset.' : 'The lab was ended.'))
      .catch((error: unknown) => this.status(errorMessage(error)));
  }
}

function tabText(machine: { label: string; addresses: Record<string, string> }): string {
  const addresses = Object.values(machine.addresses);
  return addresses.length > 0 ? `${machine.label} · ${addresses.join(', ')}` : machine.label;
}
