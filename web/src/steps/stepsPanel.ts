/**
 * The graded steps on the lab page: instructions, questions, hints, a Check button per step and
 * the learner's progress. The steps and every verdict (auto-checks included) arrive on the lab's
 * event socket; the buttons only send the check, the hint request and the auto-check choice.
 */
import type { LabSessionState } from '../lab/LabSessionState';
import { addCodeActions, type CodeRunner } from '../codeBlocks';
import { el } from '../dom';
import { inlineMarkdownHtml, markdownHtml } from '../markdown';
import './steps.css';
import { completionView } from './completionView';
import { hostSawDisclosure, type HostSawDisclosure } from './hostSawView';
import { ProgressBar } from './ProgressBar';
import { stepsApi, type StepJson, type StepsJson } from './stepsApi';
import { errorMessage } from '../errorMessage';

const STATUS_TEXT = { 'not-checked': 'not checked', passed: 'passed', failed: 'not yet' } as const;

const md = markdownHtml;

/** Check messages are Markdown, like the instructions: `code` and *emphasis* render, never raw. */
function showMessage(target: HTMLElement, message: string): void {
  if (target.dataset.source === message) return;
  target.dataset.source = message;
  target.innerHTML = markdownHtml(message);
}

export interface StepsPanel {
  /** The current step's first question (or its heading): where the skip key takes the keyboard. */
  focusCurrent(): void;
}

export function mountSteps(target: HTMLElement, state: LabSessionState, runner?: CodeRunner): StepsPanel {
  const sessionId = state.session.id;
  const cards = new Map<string, HTMLElement>();
  const hostSaw = new Map<string, HostSawDisclosure>();
  const completion = completionView(sessionId);
  const progress = new ProgressBar(
    (stepId) => {
      const target = cards.get(stepId);
      if (target) bringIntoView(target, 'start');
      target?.querySelector('h3')?.focus();
    },
    () => completion.show(),
  );
  let shownCurrent: string | null | undefined;

  /** Scrolls a step into view below the sticky progress bar, whose height changes as it wraps. */
  function bringIntoView(card: HTMLElement, block: ScrollLogicalPosition): void {
    card.style.scrollMarginTop = `${progress.element.offsetHeight + 8}px`;
    card.scrollIntoView({ block });
  }
  const auto = el('input', { attrs: { type: 'checkbox', id: 'auto-check' } });

  function updateCard(step: StepJson, current: boolean): void {
    const card = cards.get(step.id);
    if (!card) return;
    card.dataset.status = step.state.status;
    card.classList.toggle('current', current);
    // The journal's evidence for the step being worked on (and any step already checked).
    const saw = hostSaw.get(step.id);
    if (saw) saw.element.hidden = !current && step.state.status === 'not-checked';
    const badge = card.querySelector('.step-status');
    // A 'current' step that passed once but whose state is broken now: the dashboard counts the
    // pass, so say both.
    const lapsed = step.state.status === 'failed' && step.state.firstPassedAt !== undefined;
    card.dataset.lapsed = String(lapsed);
    if (badge) badge.textContent = lapsed ? 'passed before, not holding now' : STATUS_TEXT[step.state.status];
    const message = card.querySelector<HTMLElement>('.step-message');
    if (message && !card.classList.contains('checking')) showMessage(message, step.state.message ?? '');
    const hints = card.querySelector<HTMLElement>('.step-hints');
    if (hints && hints.childElementCount !== step.hints.length)
      hints.replaceChildren(...step.hints.map((h) => Object.assign(el('li'), { innerHTML: md(h) })));
    const hintButton = card.querySelector<HTMLButtonElement>('.step-hint');
    if (hintButton) hintButton.disabled = step.hints.length >= step.hintsAvailable;
  }

  /**
   * The current step comes into view on load and whenever passing a step moves it on. A learner
   * who has checked nothing yet starts at the top: the lab's introduction and its diagram.
   */
  function followCurrent(data: StepsJson): void {
    if (data.currentStep === shownCurrent) return;
    const first = shownCurrent === undefined;
    shownCurrent = data.currentStep;
    const card = data.currentStep ? cards.get(data.currentStep) : undefined;
    const begun = data.steps.some((step) => step.state.status !== 'not-checked');
    if (card && begun && (first || data.passed > 0)) bringIntoView(card, first ? 'start' : 'nearest');
  }

  function render(data: StepsJson): void {
    auto.checked = data.autoCheck;
    progress.update(data);
    const intro = el('div', { className: 'markdown steps-intro' });
    intro.innerHTML = md(data.intro);
    const autoLabel = el('label', { className: 'auto-check' });
    autoLabel.append(auto, ' Check the current step after each command');
    const list = el('ol', { className: 'steps' });
    for (const step of data.steps) list.append(card(step));
    target.replaceChildren(progress.element, autoLabel, intro, list);
    for (const step of data.steps) updateCard(step, step.id === data.currentStep);
  }

  function card(step: StepJson): HTMLElement {
    const li = el('li', { className: 'step', data: { step: step.id } });
    const head = el('h3', { attrs: { tabindex: '-1' } });
    head.append(`${step.number}. ${step.title} `, el('span', { className: 'step-status' }));
    const body = el('div', { className: 'markdown' });
    body.innerHTML = md(step.instructions);
    addCodeActions(body, runner);
    const inputs = new Map<string, HTMLInputElement>();
    const questions = el('div', { className: 'step-questions' });
    for (const q of step.questions) {
      const label = el('label');
      const prompt = el('span');
      prompt.innerHTML = inlineMarkdownHtml(q.prompt);
      const input = el('input', { attrs: { type: 'text', name: q.id, value: step.answers[q.id] ?? '' } });
      inputs.set(q.id, input);
      label.append(prompt, input);
      questions.append(label);
    }
    const check = el('button', { className: 'step-check', attrs: { type: 'button' } }, 'Check');
    const hint = el('button', { className: 'step-hint', attrs: { type: 'button' } }, 'Show a hint');
    const message = el('div', { className: 'step-message markdown', attrs: { 'aria-live': 'polite' } });
    const hints = el('ul', { className: 'step-hints' });
    check.addEventListener('click', () => {
      li.classList.add('checking');
      check.disabled = true;
      delete message.dataset.source;
      message.textContent = 'Checking…';
      const answers = Object.fromEntries([...inputs].map(([id, input]) => [id, input.value]));
      // The verdict itself arrives on the event socket (see `verdict`); this answer only ends the wait.
      stepsApi
        .check(sessionId, step.id, answers)
        .then((result) => showMessage(message, result.message))
        .catch((error: unknown) => showMessage(message, `The check failed: ${errorMessage(error)}`))
        .finally(() => {
          li.classList.remove('checking');
          check.disabled = false;
        });
    });
    hint.addEventListener('click', () => {
      void stepsApi.hint(sessionId, step.id).then((shown) => {
        hints.replaceChildren(...shown.hints.map((h) => Object.assign(el('li'), { innerHTML: md(h) })));
        hint.disabled = shown.hints.length >= shown.hintsAvailable;
      });
    });
    const actions = el('div', { className: 'step-actions' });
    actions.append(check, hint);
    const saw = hostSawDisclosure(sessionId, step.id);
    hostSaw.set(step.id, saw);
    li.append(head, body, questions, actions, message, saw.element, hints);
    cards.set(step.id, li);
    return li;
  }

  let drawn: StepsJson | undefined;
  function show(data: StepsJson): void {
    // Fresh machines (a reset) bring fresh addresses into the instructions: draw them again.
    const instructions = (d: StepsJson): string => d.intro + d.steps.map((x) => x.instructions).join('');
    if (!drawn || instructions(drawn) !== instructions(data) || ![...cards.values()][0]?.isConnected) {
      cards.clear();
      hostSaw.clear();
      render(data);
    }
    drawn = data;
    auto.checked = data.autoCheck;
    progress.update(data);
    for (const step of data.steps) updateCard(step, step.id === data.currentStep);
    followCurrent(data);
    completion.update(data);
  }

  auto.addEventListener('change', () => void stepsApi.autoCheck(sessionId, auto.checked));
  state.on((event) => {
    if (event.type === 'steps') show(event.steps);
    else if (event.type === 'verdict') {
      const card = cards.get(event.verdict.stepId);
      card?.classList.remove('checking');
      const message = card?.querySelector<HTMLElement>('.step-message');
      if (message) showMessage(message, event.verdict.message);
      show(event.steps);
      hostSaw.get(event.verdict.stepId)?.refresh();
    }
  });
  if (state.steps) show(state.steps);
  return {
    focusCurrent() {
      const id = drawn?.currentStep ?? drawn?.steps.at(-1)?.id;
      const card = id ? cards.get(id) : undefined;
      if (!card) return;
      bringIntoView(card, 'start');
      (card.querySelector<HTMLElement>('.step-questions input') ?? card.querySelector<HTMLElement>('h3'))?.focus();
    },
  };
}
