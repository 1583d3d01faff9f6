import { el } from '../dom';
import { stepMarkCell, stepMarkLegend } from './stepMark';
import type { ClassSnapshot, LearnerLine } from './types';

const ago = (at: number | null, now: number): string => {
  if (at === null) return '—';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
};

/** The roster: one row per learner, with a "stuck" flag. Names go in as text only. */
export function renderRoster(tbody: HTMLElement, snap: ClassSnapshot, open: (learner: LearnerLine) => void): void {
  const titles = new Map(snap.steps.map((s) => [s.id, s.title]));
  tbody.replaceChildren(
    ...snap.learners.map((learner) => {
      const name = el('button', { className: 'link', textContent: learner.displayName });
      name.addEventListener('click', () => open(learner));
      const step = learner.currentStep ? (titles.get(learner.currentStep) ?? learner.currentStep) : 'All done';
      const stuck = learner.stuck
        ? el('span', { className: 'badge stuck', textContent: `stuck ${Math.floor(learner.stuckForMs / 60_000)} min` })
        : '';
      return el(
        'tr',
        { data: { learnerId: learner.id, stuck: String(learner.stuck) } },
        el('td', {}, name),
        el('td', { className: 'lab-state', textContent: learner.session?.status ?? 'no lab' }),
        el('td', { className: 'current-step' }, step, ' ', stuck),
        el(
          'td',
          { className: 'passed-count' },
          `${learner.passed.length}/${snap.steps.length}`,
          learner.lapsed.length > 0
            ? el('span', { className: 'badge lapsed', textContent: `${learner.lapsed.length} not holding now` })
            : '',
        ),
        el('td', { className: 'last-activity', textContent: ago(learner.lastActivity, snap.at) }),
        el('td', {}),
      );
    }),
  );
  if (snap.learners.length === 0)
    tbody.replaceChildren(el('tr', {}, el('td', { className: 'muted', textContent: 'Nobody has joined yet.' })));
}

/** Who has passed, tried or not touched what: a column per step. */
export function renderMatrix(table: HTMLTableElement, snap: ClassSnapshot): void {
  if (!table.caption) table.prepend(stepMarkLegend());
  const head = el(
    'tr',
    {},
    el('th', { textContent: 'Learner' }),
    ...snap.steps.map((s, i) =>
      el('th', { textContent: String(i + 1), title: `${s.id}: ${s.title}`, data: { step: s.id } }),
    ),
  );
  table.tHead?.replaceChildren(head);
  table.tBodies[0]?.replaceChildren(
    ...snap.learners.map((learner) =>
      el(
        'tr',
        { data: { learnerId: learner.id } },
        el('th', { textContent: learner.displayName }),
        ...snap.steps.map((s) => stepMarkCell(learner, s)),
      ),
    ),
  );
}
