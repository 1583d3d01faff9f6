/**
 * The keys phone keyboards lack (Esc, Tab, Ctrl, arrows, Ctrl+C), as a bar under the terminal on
 * touch screens. Ctrl is sticky: it turns the next typed letter into its control character.
 */
const KEYS: { label: string; name: string; send?: string }[] = [
  { label: 'Esc', name: 'Escape', send: '\x1b' },
  { label: 'Tab', name: 'Tab', send: '\t' },
  { label: 'Ctrl', name: 'Control (applies to the next key)' },
  { label: '←', name: 'Left arrow', send: '\x1b[D' },
  { label: '↑', name: 'Up arrow', send: '\x1b[A' },
  { label: '↓', name: 'Down arrow', send: '\x1b[B' },
  { label: '→', name: 'Right arrow', send: '\x1b[C' },
  { label: '^C', name: 'Control C (interrupt)', send: '\x03' },
];

let ctrlArmed = false;
let ctrlButton: HTMLButtonElement | undefined;

/** Applies a pending sticky Ctrl to what the terminal is about to send. */
export function applyStickyCtrl(data: string): string {
  if (!ctrlArmed || data.length !== 1) return data;
  setCtrl(false);
  const code = data.toUpperCase().charCodeAt(0);
  return code >= 64 && code <= 95 ? String.fromCharCode(code - 64) : data;
}

function setCtrl(on: boolean): void {
  ctrlArmed = on;
  ctrlButton?.setAttribute('aria-pressed', String(on));
}

export function isTouchScreen(): boolean {
  return navigator.maxTouchPoints > 0 || window.matchMedia('(pointer: coarse)').matches;
}

export function mountTouchKeys(bar: HTMLElement, send: (data: string) => void): void {
  for (const key of KEYS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = key.label;
    button.setAttribute('aria-label', key.name);
    // Keep the focus (and the phone keyboard) in the terminal.
    button.addEventListener('pointerdown', (event) => event.preventDefault());
    if (key.send === undefined) {
      ctrlButton = button;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => setCtrl(!ctrlArmed));
    } else {
      const data = key.send;
      button.addEventListener('click', () => send(data));
    }
    bar.append(button);
  }
  bar.hidden = false;
}
