import type { LabDetails, SessionView } from '../api';
import { markdownHtml } from '../markdown';

/**
 * Renders a lab's instructions from Markdown. `{{machine.network}}` placeholders become this
 * session's real addresses, and every code block gets a copy button.
 */
export function renderInstructions(target: HTMLElement, lab: LabDetails, session: SessionView): void {
  const fill = (markdown: string): string =>
    markdown.replace(/\{\{([a-z0-9-]+)\.([a-z0-9-]+)\}\}/g, (whole, machineId: string, networkId: string) => {
      const machine = session.machines.find((m) => m.id === machineId);
      return machine?.addresses[networkId] ?? whole;
    });
  const parts = [
    fill(lab.introMarkdown),
    ...lab.steps.map((step, i) => `### ${i + 1}. ${step.title}\n\n${fill(step.markdown)}`),
  ];
  target.innerHTML = markdownHtml(parts.join('\n\n'));
  for (const pre of target.querySelectorAll('pre')) addCopyButton(pre);
}

function addCopyButton(pre: HTMLPreElement): void {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy';
  button.textContent = 'Copy';
  button.title = 'Copy to the clipboard';
  button.addEventListener('click', () => {
    const text = (pre.querySelector('code')?.textContent ?? pre.textContent ?? '').replace(/\n$/, '');
    void navigator.clipboard.writeText(text).then(
      () => flash(button, 'Copied'),
      () => flash(button, 'Press Ctrl+C'),
    );
  });
  pre.append(button);
}

function flash(button: HTMLButtonElement, text: string): void {
  button.textContent = text;
  window.setTimeout(() => (button.textContent = 'Copy'), 1500);
}
