/**
 * Splits `xtables-monitor --trace` output into records. A rule's comment is printed as a quoted
 * string that may hold newlines (only `"` and `\` are escaped), so a line break inside quotes
 * belongs to the rule text: text a learner wrote into a comment can never start a record.
 */

/** A record this long is no monitor line: the rest of it is skipped (bounded memory). */
const MAX_RECORD = 64 * 1024;

/** Whether `text` ends inside a double-quoted string, as iptables quotes comments. */
export function endsInsideQuotes(text: string): boolean {
  let inside = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inside && c === '\\') i++;
    else if (c === '"') inside = !inside;
  }
  return inside;
}

export class MonitorRecords {
  private partial = '';
  private record: string | undefined;

  constructor(private readonly onRecord: (record: string) => void) {}

  /** Feeds raw output as it arrives, in chunks of any size. */
  feed(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > MAX_RECORD) this.partial = '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    const record = this.record === undefined ? line : `${this.record}\n${line}`;
    if (record.length > MAX_RECORD) {
      // Hold the quote state only: the text itself is never shown.
      this.record = endsInsideQuotes(record) ? '"' : undefined;
      return;
    }
    if (endsInsideQuotes(record)) this.record = record;
    else {
      this.record = undefined;
      this.onRecord(record);
    }
  }
}
