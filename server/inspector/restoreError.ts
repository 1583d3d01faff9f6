/** Reads iptables-restore's complaint about a file into a message and the line it names. */

const LINE_PATTERNS = [/Error occurred at line: (\d+)/, /at line (\d+)/, /line (\d+) failed/];

export function parseRestoreError(output: string): { line?: number; message: string } {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  let line: number | undefined;
  for (const pattern of LINE_PATTERNS) {
    const m = pattern.exec(output);
    if (m?.[1] !== undefined) {
      line = Number(m[1]);
      break;
    }
  }
  const message =
    lines
      .filter((l) => !l.startsWith('Error occurred at line') && !l.startsWith('Try `'))
      .map((l) => l.replace(/^iptables-restore( v[\d.]+ \([^)]*\))?: /, ''))
      .join(' ') || 'iptables-restore refused the file';
  return line === undefined ? { message } : { line, message };
}
