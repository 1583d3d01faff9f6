/**
 * A learner's standing on one step in the dashboard's matrix: passed, tried and not passed, or
 * never tried. Each state has its own symbol and words (read out by screen readers, shown on
 * hover), so colour is never the only difference.
 */
import './stepMark.css';
import type { LearnerLine } from './types';

export type StepMark = 'passed' | 'lapsed' | 'failed' | 'untried';

const MARKS: Record<StepMark, { symbol: string; words: string }> = {
  passed: { symbol: '✓', words: 'passed' },
  // As on the learner's page: a pass that no longer holds is still a pass, and says so.
  lapsed: { symbol: '✓!', words: 'passed before, not holding now' },
  failed: { symbol: '✗', words: 'tried, not passed' },
  untried: { symbol: '–', words: 'not tried' },
};

export function stepMark(learner: LearnerLine, stepId: string): StepMark {
  if (learner.passed.includes(stepId)) return learner.lapsed.includes(stepId) ? 'lapsed' : 'passed';
  return learner.failed.includes(stepId) ? 'failed' : 'untried';
}

/** The matrix cell: the symbol for the eye, the words for everyone. */
export function stepMarkCell(learner: LearnerLine, step: { id: string; title: string }): HTMLTableCellElement {
  const mark = stepMark(learner, step.id);
  const cell = document.createElement('td');
  cell.className = `mark mark-${mark}`;
  cell.title = `${step.title}: ${MARKS[mark].words}`;
  const passed = mark === 'passed' || mark === 'lapsed';
  Object.assign(cell.dataset, { step: step.id, passed: String(passed), lapsed: String(mark === 'lapsed'), mark });
  const symbol = document.createElement('span');
  symbol.setAttribute('aria-hidden', 'true');
  symbol.textContent = MARKS[mark].symbol;
  const words = document.createElement('span');
  words.className = 'visually-hidden';
  words.textContent = MARKS[mark].words;
  cell.append(symbol, words);
  return cell;
}

/** The caption that says what the symbols mean. */
export function stepMarkLegend(): HTMLTableCaptionElement {
  const caption = document.createElement('caption');
  caption.className = 'mark-legend';
  caption.textContent = `Each learner per step: ${Object.values(MARKS)
    .map((m) => `${m.symbol} ${m.words}`)
    .join(', ')}.`;
  return caption;
}
