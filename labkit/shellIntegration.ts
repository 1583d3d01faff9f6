/**
 * Parses the shell-integration markers the lab images make bash print (VS Code's OSC 633):
 *   ESC ] 633 ; A BEL                 prompt starts
 *   ESC ] 633 ; E ; <command line> BEL the command line about to run (escaped: \\ and \xNN)
 *   ESC ] 633 ; P ; LabShadowed=<kind:name,...> BEL  words of that line that are shell functions or aliases
 *   ESC ] 633 ; C BEL                 command output starts
 *   ESC ] 633 ; D [; <exit code>] BEL command finished
 * Output arrives in arbitrary chunks, so a marker split across chunks is carried over.
 * xterm.js ignores these OSCs, so the raw stream still goes to the browser untouched.
 */
export type ShellMark =
  | { type: 'prompt' }
  | { type: 'command-line'; commandLine: string }
  | { type: 'shadowed'; names: { kind: string; name: string }[] }
  | { type: 'command-start' }
  | { type: 'command-finished'; exitCode: number | undefined };

const PREFIX = Buffer.from('\x1b]633;');
const BEL = 0x07;
const ESC = 0x1b;
/** A marker longer than this is not one of ours; stop carrying it. */
const MAX_MARK_BYTES = 8192;

export class ShellIntegrationParser {
  private carry: Buffer | undefined;

  /** Calls onText for plain output and onMark for each marker, in stream order. */
  push(chunk: Buffer, onText: (text: Buffer) => void, onMark: (mark: ShellMark) => void): void {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let pos = 0;
    for (;;) {
      const start = data.indexOf(PREFIX, pos);
      if (start < 0) {
        const keep = partialPrefixAtEnd(data);
        if (data.length - keep > pos) onText(data.subarray(pos, data.length - keep));
        if (keep > 0) this.carry = Buffer.from(data.subarray(data.length - keep));
        return;
      }
      if (start > pos) onText(data.subarray(pos, start));
      const end = findTerminator(data, start + PREFIX.length);
      if (end === undefined) {
        if (data.length - start <= MAX_MARK_BYTES) {
          this.carry = Buffer.from(data.subarray(start));
          return;
        }
        onText(data.subarray(start, start + PREFIX.length));
        pos = start + PREFIX.length;
        continue;
      }
      const mark = parseMark(data.subarray(start + PREFIX.length, end.at).toString('utf8'));
      if (mark) onMark(mark);
      pos = end.at + end.length;
    }
  }
}

function findTerminator(data: Buffer, from: number): { at: number; length: number } | undefined {
  for (let i = from; i < data.length && i - from <= MAX_MARK_BYTES; i++) {
    if (data[i] === BEL) return { at: i, length: 1 };
    if (data[i] === ESC && data[i + 1] === 0x5c) return { at: i, length: 2 };
  }
  return undefined;
}

/** How many trailing bytes could be the start of PREFIX. */
function partialPrefixAtEnd(data: Buffer): number {
  for (let keep = Math.min(PREFIX.length - 1, data.length); keep > 0; keep--) {
    if (data.subarray(data.length - keep).equals(PREFIX.subarray(0, keep))) return keep;
  }
  return 0;
}

function parseMark(body: string): ShellMark | undefined {
  const [kind, ...rest] = body.split(';');
  switch (kind) {
    case 'A':
      return { type: 'prompt' };
    case 'C':
      return { type: 'command-start' };
    case 'E':
      return { type: 'command-line', commandLine: unescapeValue(rest[0] ?? '') };
    case 'P': {
      const value = rest.join(';');
      if (!value.startsWith('LabShadowed=')) return undefined;
      const names = unescapeValue(value.slice('LabShadowed='.length))
        .split(',')
        .filter(Boolean)
        .map((entry) => ({ kind: entry.slice(0, entry.indexOf(':')), name: entry.slice(entry.indexOf(':') + 1) }));
      return { type: 'shadowed', names };
    }
    case 'D': {
      const code = rest[0] === undefined || rest[0] === '' ? undefined : Number(rest[0]);
      return { type: 'command-finished', exitCode: code !== undefined && Number.isInteger(code) ? code : undefined };
    }
    default:
      return undefined;
  }
}

export function unescapeValue(value: string): string {
  return value.replace(/\\(\\|x([0-9a-fA-F]{2}))/g, (_m, all: string, hex: string | undefined) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : all,
  );
}
