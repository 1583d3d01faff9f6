import { copyText } from './copyText';

/**
 * The buttons of a code block in the instructions: Copy always, and Run when the lab author named
 * the machine the block belongs to (```<machine id>). Run types the block into that machine's
 * terminal, line by line, as Killercoda's exec does. The buttons sit in a bar above the code so
 * they never cover it; long lines wrap.
 */
export interface CodeRunner {
  /** The machine's label, or undefined when the lab has no machine of that id. */
  machineLabel(machineId: string): string | undefined;
  run(machineId: string, text: string): void;
}

export function addCodeActions(root: HTMLElement, runner?: CodeRunner): void {
  for (const pre of root.querySelectorAll('pre')) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const code = pre.querySelector('code');
    const text = (code?.textContent ?? pre.textContent).replace(/\n$/, '');
    const summary = (text.split('\n')[0] ?? '') + (text.includes('\n') ? ' …' : '');
    const bar = document.createElement('div');
    bar.className = 'code-actions';
    const copy = button('Copy', `Copy: ${summary}`);
    copy.addEventListener('click', () => {
      void copyText(text).then(
        () => flash(copy, 'Copied'),
        () => flash(copy, 'Press Ctrl+C'),
      );
    });
    const machineId = /\blanguage-([a-z0-9-]+)\b/.exec(code?.className ?? '')?.[1];
    const label = machineId ? runner?.machineLabel(machineId) : undefined;
    if (machineId && label && runner) {
      const run = button(`Run on ${label}`, `Run on ${label}: ${summary}`);
      run.classList.add('run');
      run.addEventListener('click', () => runner.run(machineId, text.replace(/\n/g, '\r') + '\r'));
      bar.append(run);
      pre.dataset.machine = machineId;
    }
    bar.append(copy);
    const block = document.createElement('div');
    block.className = 'code-block';
    pre.replaceWith(block);
    block.append(bar, pre);
  }
}

function button(text: string, name: string): HTMLButtonElement {
  const node = document.createElement('button');
  node.type = 'button';
  node.textContent = text;
  node.setAttribute('aria-label', name);
  return node;
}

function flash(node: HTMLButtonElement, text: string): void {
  const before = node.textContent;
  node.textContent = text;
  window.setTimeout(() => (node.textContent = before), 1500);
}
