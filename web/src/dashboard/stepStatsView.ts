/**
 * "Where is the class stuck": per step, how many passed, the median time to pass and the failure
 * most learners got. The server computes it (server/classroom/stepStats.ts) and pushes it with the
 * class's changes; this table follows the matrix.
 */
import { inlineMarkdownHtml } from '../markdown';
import './stepStats.css';
import type { ClassSnapshot } from './types';

let drawn = '';

export function renderStepStats(after: HTMLElement, snap: ClassSnapshot): void {
  let table = document.querySelector<HTMLTableElement>('#step-stats');
  if (!table) {
    const heading = document.createElement('h3');
    heading.id = 'step-stats-title';
    heading.textContent = 'Where the class is';
    table = document.createElement('table');
    table.id = 'step-stats';
    table.className = 'grid';
    // Long failure messages on a phone: the table scrolls inside its own box, not the page.
    const scroller = document.createElement('div');
    scroller.className = 'table-scroll';
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-labelledby', 'step-stats-title');
    scroller.append(table);
    after.after(heading, scroller);
  }
  const key = JSON.stringify([snap.learners.length, snap.steps, snap.stepStats]);
  if (key === drawn) return;
  drawn = key;
  const caption = document.createElement('caption');
  caption.textContent = `Per step: how many of the ${snap.learners.length} learners passed, the median time they took (from their previous pass, or joining), and the failure most of them got.`;
  const head = document.createElement('tr');
  for (const label of ['Step', 'Passed', 'Median time to pass', 'Most common failure'])
    head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: label }));
  const titles = new Map(snap.steps.map((s, i) => [s.id, `${i + 1}. ${s.title}`]));
  const rows = snap.stepStats.map((stat) => {
    const row = document.createElement('tr');
    row.dataset.step = stat.stepId;
    const failure = document.createElement('td');
    failure.className = 'top-failure';
    if (stat.topFailure) {
      const text = document.createElement('span');
      text.innerHTML = inlineMarkdownHtml(stat.topFailure.message);
      const who = stat.topFailure.learners === 1 ? '1 learner' : `${stat.topFailure.learners} learners`;
      failure.append(text, ` (${who})`);
    } else failure.textContent = '—';
    row.append(
      Object.assign(document.createElement('th'), {
        scope: 'row',
        textContent: titles.get(stat.stepId) ?? stat.stepId,
      }),
      Object.assign(document.createElement('td'), {
        className: 'stat-passed',
        textContent: `${stat.passed} of ${snap.learners.length}`,
      }),
      Object.assign(document.createElement('td'), {
        className: 'stat-median',
        textContent: stat.medianMsToPass === null ? '—' : minutes(stat.medianMsToPass),
      }),
      failure,
    );
    return row;
  });
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  tbody.append(...rows);
  table.replaceChildren(caption, thead, tbody);
}

function minutes(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const min = Math.round(seconds / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}
