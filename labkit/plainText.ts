/** Terminal output as a learner reads it: escape sequences removed, CRLF and lone CR handled. */
// CSI (colours, cursor moves), OSC (titles, shell markers) and two-byte escapes.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function plainText(raw: string): string {
  return (
    raw
      .replace(ESCAPES, '')
      .replace(/\r+\n/g, '\n')
      // A lone CR rewinds the line (progress bars, prompt redraws): keep what was written last.
      .split('\n')
      .map((line) => line.slice(line.lastIndexOf('\r') + 1))
      .join('\n')
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
  );
}
