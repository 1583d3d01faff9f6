/**
 * One learner's lab session as the journal saw it, in the instructor's learner panel: one line per
 * command, ruleset change, packet group, file change and check, and a slider (or the arrow keys
 * in the list) to scrub to a moment and see each machine's rules and each step's verdict then.
 * Fetched when the panel opens and again when the dashboard's feed says the learner's line changed.
 */
import { api } from '../api';
import { $, el } from '../dom';
import { momentAt, type TimelineEntry, type TimelineView as TimelineJson } from '../../../protocol/timeline';
import './timeline.css';
import { errorMessage } from '../errorMessage';

const KIND_TEXT: Record<TimelineEntry['kind'], string> = {
  command: 'command',
  ruleset: 'ruleset',
  packets: 'packets',
  file: 'file',
  check: 'check',
  note: 'lab',
};

const clock = (at: number): string => new Date(at).toLocaleTimeString([], { hour12: false });

export class TimelineView {
  private entries: TimelineEntry[] = [];
  private selected = -1;
  private url = '';
  private readonly list = $<HTMLOListElement>('#timeline');
  private readonly scrub = $<HTMLInputElement>('#timeline-scrub');

  constructor() {
    this.scrub.addEventListener('input', () => this.select(Number(this.scrub.value), false));
    $('#timeline-refresh').addEventListener('click', () => void this.load());
    // Lines change height with the width (a phone turned, a window narrowed): keep the chosen one in view.
    new ResizeObserver(() => this.reveal()).observe(this.list);
    // Arrow keys move through the list; only the chosen line is in the tab order.
    this.list.addEventListener('keydown', (event) => {
      const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key];
      const to = event.key === 'Home' ? 0 : event.key === 'End' ? this.entries.length - 1 : undefined;
      if (step === undefined && to === undefined) return;
      event.preventDefault();
      this.select(to ?? Math.max(0, Math.min(this.entries.length - 1, this.selected + (step ?? 0))), true);
    });
  }

  /** Shows this learner's timeline (a new learner starts at the newest moment). */
  show(classId: string, learnerId: string): void {
    const url = `/api/instructor/classes/${classId}/learners/${encodeURIComponent(learnerId)}/timeline`;
    if (url !== this.url) {
      this.url = url;
      this.entries = [];
      this.selected = -1;
      this.list.replaceChildren();
    }
    void this.load();
  }

  clear(): void {
    this.url = '';
  }

  private async load(): Promise<void> {
    const url = this.url;
    if (!url) return;
    const status = $('#timeline-status');
    let view: TimelineJson;
    try {
      view = await api<TimelineJson>(url);
    } catch (error) {
      status.textContent = `The timeline could not load: ${errorMessage(error)}`;
      return;
    }
    if (url !== this.url) return;
    // Following the newest moment keeps following it; a moment scrubbed to stays put.
    const atEnd = this.selected === -1 || this.selected === this.entries.length - 1;
    this.entries = view.entries;
    const older = view.omitted > 0 ? ` (${view.omitted} older left out)` : '';
    status.textContent =
      view.status === 'none'
        ? 'This learner has not started the lab yet.'
        : `${view.entries.length} events${older} from ${view.status === 'live' ? 'the running lab' : 'their last lab, which has ended'}. Commands are as the learner's shell reported them; everything else the host saw itself.`;
    $('#timeline-body').hidden = view.entries.length === 0;
    this.list.replaceChildren(...view.entries.map((e, i) => this.row(e, i)));
    this.scrub.max = String(Math.max(0, view.entries.length - 1));
    if (view.entries.length > 0) this.select(atEnd ? view.entries.length - 1 : this.selected, false);
  }

  private row(e: TimelineEntry, index: number): HTMLLIElement {
    const button = el(
      'button',
      { className: 'timeline-line', attrs: { type: 'button', tabindex: '-1' } },
      el('time', { textContent: clock(e.at), attrs: { datetime: new Date(e.at).toISOString() } }),
      el('span', { className: `timeline-kind kind-${e.kind}`, textContent: KIND_TEXT[e.kind] }),
      e.source === 'learner' ? el('span', { className: 'timeline-reported', textContent: 'learner-reported' }) : '',
      el('span', { className: 'timeline-text', textContent: e.text }),
    );
    button.addEventListener('click', () => this.select(index, true));
    const data: Record<string, string> = { kind: e.kind, source: e.source };
    if (e.passed !== undefined) data.passed = String(e.passed);
    return el('li', { data }, button);
  }

  private select(index: number, focus: boolean): void {
    if (index < 0 || index >= this.entries.length) return;
    this.selected = index;
    this.scrub.value = String(index);
    this.list.querySelectorAll('button').forEach((b, i) => {
      b.setAttribute('aria-current', String(i === index));
      b.tabIndex = i === index ? 0 : -1;
    });
    this.reveal();
    if (focus) this.list.children[index]?.querySelector('button')?.focus({ preventScroll: true });
    const entry = this.entries[index];
    $('#timeline-at').textContent = entry ? `${clock(entry.at)} · ${index + 1} of ${this.entries.length}` : '';
    this.renderMoment(index);
  }

  /** Scrolls the list box (never the page: the slider's thumb stays under the finger) to the chosen line. */
  private reveal(): void {
    const button = this.list.children[this.selected]?.querySelector('button');
    if (button) this.list.scrollTop = Math.max(0, button.offsetTop - this.list.clientHeight / 2);
  }

  /** What held at the chosen moment: the line itself in full, each machine's rules, each step's verdict. */
  private renderMoment(index: number): void {
    const entry = this.entries[index];
    if (!entry) return;
    const moment = momentAt(this.entries, index);
    const parts: HTMLElement[] = [
      el('p', { className: 'timeline-chosen', textContent: `${clock(entry.at)} — ${entry.text}` }),
    ];
    if (entry.until && entry.until - entry.at >= 1000)
      parts.push(el('p', { className: 'muted', textContent: `until ${clock(entry.until)}` }));
    // Scrollable boxes are in the tab order, so they scroll from the keyboard too.
    if (entry.detail?.length)
      parts.push(
        el('pre', {
          className: 'timeline-detail',
          textContent: entry.detail.join('\n'),
          attrs: { tabindex: '0', 'aria-label': 'Details' },
        }),
      );
    const firewalls = [...moment.rulesets]
      .sort((a, b) => a.machine.localeCompare(b.machine))
      .map((r) => {
        const details = el('details');
        details.append(
          el('summary', { textContent: `${r.machine}: firewall ${r.firewall} (rules as of ${clock(r.at)})` }),
          el('pre', {
            className: 'timeline-rules',
            textContent: r.rules,
            attrs: { tabindex: '0', 'aria-label': `${r.machine}'s rules` },
          }),
        );
        return el('li', {}, details);
      });
    parts.push(el('h5', { textContent: 'Firewalls at that moment' }));
    parts.push(
      firewalls.length > 0
        ? el('ul', { className: 'timeline-state' }, ...firewalls)
        : el('p', { className: 'muted', textContent: 'No ruleset read yet.' }),
    );
    parts.push(el('h5', { textContent: 'Latest verdict per step' }));
    parts.push(
      moment.checks.length > 0
        ? el(
            'ul',
            { className: 'timeline-state' },
            ...moment.checks.map((c) =>
              el('li', {
                className: c.passed ? 'pass' : 'fail',
                textContent: `${c.stepId}: ${c.passed ? '✓ passed' : '✗ not passed'} at ${clock(c.at)}`,
              }),
            ),
          )
        : el('p', { className: 'muted', textContent: 'No check yet.' }),
    );
    $('#timeline-moment').replaceChildren(...parts);
  }
}
