/**
 * The screen that closes a lab: once every step has passed, a dialog lists each step with when it
 * first passed and the time taken, from the learner's first check to the last step's first pass
 * (progress follows the learner across restarts, so the lab's own start would undercount). It opens
 * by itself once per lab session; "Show summary" in the progress bar brings it back.
 */
import { api } from '../api';
import './completion.css';
import type { StepsJson } from './stepsApi';

interface ResultsJson {
  steps: { id: string; attempts: { at: string }[] }[];
}

export interface CompletionView {
  /** Called with every fresh copy of the steps: opens the summary the first time all have passed. */
  update(data: StepsJson): void;
  /** Opens the summary (when the lab is complete). */
  show(): void;
}

const seenKey = (sessionId: string): string => `ipl.completed.${sessionId}`;

export function completionView(sessionId: string): CompletionView {
  const dialog = document.createElement('dialog');
  dialog.id = 'complete';
  dialog.setAttribute('aria-labelledby', 'complete-title');
  const heading = Object.assign(document.createElement('h2'), { id: 'complete-title', tabIndex: -1 });
  heading.textContent = 'Lab complete';
  const summary = document.createElement('p');
  const table = document.createElement('table');
  table.className = 'complete-steps';
  const form = Object.assign(document.createElement('form'), { method: 'dialog' });
  const back = Object.assign(document.createElement('button'), { value: 'close', className: 'primary' });
  back.textContent = 'Back to the lab';
  const home = Object.assign(document.createElement('a'), { href: '/' });
  home.textContent = 'Back to the labs';
  const menu = document.createElement('menu');
  menu.append(home, back);
  form.append(menu);
  dialog.append(heading, summary, table, form);
  document.body.append(dialog);
  let opener: Element | null = null;
  dialog.addEventListener('close', () => {
    localStorage.setItem(seenKey(sessionId), 'yes');
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
  });

  let latest: StepsJson | undefined;
  const complete = (data: StepsJson | undefined): data is StepsJson =>
    data !== undefined && data.steps.length > 0 && data.passed === data.steps.length;

  function draw(data: StepsJson, firstCheck: number | undefined): void {
    const passes = data.steps.map((s) => s.state.firstPassedAt ?? 0);
    const last = Math.max(...passes);
    const took =
      firstCheck === undefined ? '' : ` in ${duration(last - firstCheck)}, from your first check to your last pass`;
    summary.textContent = `You passed all ${data.steps.length} steps${took}.`;
    const caption = Object.assign(document.createElement('caption'), { className: 'visually-hidden' });
    caption.textContent = 'Steps and when each first passed';
    const head = document.createElement('tr');
    for (const label of ['Step', 'Result', 'Passed at']) head.append(cell('th', label, 'col'));
    const rows = data.steps.map((s) => {
      const row = document.createElement('tr');
      row.append(
        cell('th', `${s.number}. ${s.title}`, 'row'),
        cell('td', '✓ passed'),
        cell('td', when(s.state.firstPassedAt)),
      );
      return row;
    });
    const thead = document.createElement('thead');
    thead.append(head);
    const body = document.createElement('tbody');
    body.append(...rows);
    table.replaceChildren(caption, thead, body);
  }

  async function show(): Promise<void> {
    const data = latest;
    if (!complete(data)) return;
    const results = await api<ResultsJson>(`/api/sessions/${encodeURIComponent(sessionId)}/results`).catch(
      () => undefined,
    );
    const times = results?.steps.flatMap((s) => s.attempts.map((a) => Date.parse(a.at))) ?? [];
    draw(data, times.length > 0 ? Math.min(...times) : undefined);
    if (dialog.open) return;
    opener = document.activeElement;
    dialog.showModal();
    heading.focus();
  }

  return {
    update(data) {
      latest = data;
      if (complete(data) && localStorage.getItem(seenKey(sessionId)) === null && !dialog.open) void show();
    },
    show: () => void show(),
  };
}

function cell(tag: 'th' | 'td', text: string, scope?: 'col' | 'row'): HTMLTableCellElement {
  const node = document.createElement(tag);
  if (scope) node.scope = scope;
  node.textContent = text;
  return node;
}

function when(at: number | undefined): string {
  if (at === undefined) return '';
  const date = new Date(at);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** "42 s", "12 min", "1 h 05 min". */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
