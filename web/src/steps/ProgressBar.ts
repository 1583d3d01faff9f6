import type { StepsJson } from './stepsApi';

/**
 * Progress that stays in view above the steps: "N of 12", a bar, a way to jump to any step, and
 * a closing line and the summary once every step has passed.
 */
export class ProgressBar {
  readonly element = document.createElement('div');
  private readonly text = document.createElement('span');
  private readonly bar = document.createElement('progress');
  private readonly jump = document.createElement('select');
  private readonly summary = document.createElement('button');
  private drawn = '';

  constructor(onJump: (stepId: string) => void, onSummary: () => void) {
    this.element.className = 'steps-progress';
    this.text.setAttribute('role', 'status');
    this.bar.setAttribute('aria-hidden', 'true');
    this.jump.setAttribute('aria-label', 'Jump to a step');
    this.jump.addEventListener('change', () => {
      if (this.jump.value) onJump(this.jump.value);
      this.jump.value = '';
    });
    this.summary.type = 'button';
    this.summary.textContent = 'Show summary';
    this.summary.hidden = true;
    this.summary.addEventListener('click', onSummary);
    this.element.append(this.text, this.bar, this.jump, this.summary);
  }

  update(data: StepsJson): void {
    const total = data.steps.length;
    const done = data.passed === total && total > 0;
    this.text.textContent = done
      ? `All ${total} steps passed: lab complete`
      : `${data.passed} of ${total} steps passed`;
    this.element.classList.toggle('complete', done);
    this.summary.hidden = !done;
    this.bar.max = Math.max(1, total);
    this.bar.value = data.passed;
    const options = data.steps.map((s) => `${s.id}:${s.state.status}`).join('|');
    if (options === this.drawn) return;
    this.drawn = options;
    const placeholder = new Option('Jump to step…', '');
    this.jump.replaceChildren(
      placeholder,
      ...data.steps.map((s) => new Option(`${s.number}. ${s.title}${s.state.status === 'passed' ? ' ✓' : ''}`, s.id)),
    );
  }
}
