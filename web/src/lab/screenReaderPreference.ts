/** The learner's choice of xterm's screen reader mode, remembered in this browser. */
const KEY = 'ipl.screenReaderMode';

export function screenReaderPreferred(): boolean {
  return localStorage.getItem(KEY) === 'on';
}

export function rememberScreenReader(on: boolean): void {
  localStorage.setItem(KEY, on ? 'on' : 'off');
}
