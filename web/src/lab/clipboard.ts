import type { Terminal } from '@xterm/xterm';
import { copyText } from '../copyText';

/**
 * Terminal copy/paste keys. Ctrl+C stays SIGINT, so copying uses Ctrl+Shift+C or Ctrl+Insert;
 * pasting uses Ctrl+Shift+V or Shift+Insert (the browser's own paste event, which xterm reads),
 * and right-click opens the browser's Copy/Paste menu. Returns xterm's custom key handler verdict.
 */
export function clipboardKeys(term: Terminal): (event: KeyboardEvent) => boolean {
  return (event) => {
    if (event.type !== 'keydown') return true;
    const key = event.key.toLowerCase();
    const copy =
      (event.ctrlKey && event.shiftKey && key === 'c') || (event.ctrlKey && !event.shiftKey && key === 'insert');
    const paste =
      (event.ctrlKey && event.shiftKey && key === 'v') || (event.shiftKey && !event.ctrlKey && key === 'insert');
    if (copy) {
      event.preventDefault();
      const text = term.getSelection();
      if (text) copyText(text).catch(() => undefined);
      return false;
    }
    // Returning false keeps xterm from sending ^V; the browser then fires a paste event.
    if (paste) return false;
    return true;
  };
}
