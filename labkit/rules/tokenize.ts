/**
 * Splits a command line into words.
 * - 'shell' mode follows POSIX shell quoting (single, double, backslash) and stops at an unquoted `#` word.
 * - 'restore' mode mimics iptables-restore, which only understands double quotes;
 *   single quotes stay literal (and iptables then rejects the rule), so we report them.
 */

export type TokenizeMode = 'shell' | 'restore';

export interface TokenizeResult {
  tokens: string[];
  unterminatedQuote: boolean;
  /** restore mode only: a word began with a single quote. */
  singleQuoted: boolean;
}

export function tokenize(text: string, mode: TokenizeMode = 'shell'): TokenizeResult {
  const tokens: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  let singleQuoted = false;

  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text.charAt(i + 1)))
        cur += text.charAt(++i);
      else cur += ch;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) tokens.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    if (ch === '#' && !inWord && mode === 'shell') break;
    if (ch === '"' || (ch === "'" && mode === 'shell')) {
      quote = ch;
      inWord = true;
      continue;
    }
    if (ch === "'" && !inWord) singleQuoted = true;
    if (ch === '\\' && i + 1 < text.length) {
      cur += text.charAt(++i);
      inWord = true;
      continue;
    }
    cur += ch;
    inWord = true;
  }
  if (inWord) tokens.push(cur);
  return { tokens, unterminatedQuote: quote !== undefined, singleQuoted };
}
