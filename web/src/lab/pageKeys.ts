/**
 * The page's own keys, which must work wherever focus is, including inside a terminal, and never
 * reach the shell: Alt+1..9 picks a machine, Alt+0 leaves the terminal (focus goes to the tabs),
 * Alt+S goes to the current step (its question, or its title).
 */
export type PageKey = { kind: 'machine'; index: number } | { kind: 'leave' } | { kind: 'step' };

export function pageKey(event: KeyboardEvent): PageKey | undefined {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return undefined;
  if (event.code === 'KeyS') return { kind: 'step' };
  // The code, not the key: layouts (and macOS Option) turn Alt+digit into other characters.
  const digit = /^Digit([0-9])$/.exec(event.code)?.[1] ?? /^[0-9]$/.exec(event.key)?.[0];
  if (digit === undefined) return undefined;
  return digit === '0' ? { kind: 'leave' } : { kind: 'machine', index: Number(digit) - 1 };
}
