import type { LabDetails, SessionView } from '../api';
import { addCodeActions, type CodeRunner } from '../codeBlocks';
import { markdownHtml } from '../markdown';

/**
 * Renders a lab's instructions from Markdown. `{{machine.network}}` placeholders become this
 * session's real addresses, and every code block gets a copy button.
 */
export function renderInstructions(
  target: HTMLElement,
  lab: LabDetails,
  session: SessionView,
  runner?: CodeRunner,
): void {
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
  addCodeActions(target, runner);
}
