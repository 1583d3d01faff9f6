/**
 * Below about 900 px there is room for one pane: the instructions or the terminals, each using
 * the whole screen, switched with two buttons (the CSS decides when the switch is shown).
 */
export type Pane = 'guide' | 'console';

export function showPane(pane: Pane): void {
  document.body.dataset.pane = pane;
  for (const button of document.querySelectorAll<HTMLButtonElement>('.pane-switch button')) {
    button.setAttribute('aria-pressed', String(button.dataset.pane === pane));
  }
}

/** The switch stays hidden until its buttons work: a tap before the script is ready would be lost. */
export function mountPaneSwitch(bar: HTMLElement): void {
  for (const button of bar.querySelectorAll<HTMLButtonElement>('button')) {
    button.addEventListener('click', () => showPane(button.dataset.pane === 'console' ? 'console' : 'guide'));
  }
  showPane('guide');
  bar.hidden = false;
}
