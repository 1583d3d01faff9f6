import { describe, expect, it } from 'vitest';
import { CommandTracker, type CommandFinished } from '../../../server/sessions/terminal/commandTracker';
import { RingBuffer } from '../../../server/sessions/terminal/RingBuffer';
import { ShellIntegrationParser, unescapeValue, type ShellMark } from '../../../labkit/shellIntegration';

const run = (chunks: string[]): { text: string; marks: ShellMark[] } => {
  const parser = new ShellIntegrationParser();
  let text = '';
  const marks: ShellMark[] = [];
  for (const chunk of chunks)
    parser.push(
      Buffer.from(chunk),
      (t) => (text += t.toString()),
      (m) => marks.push(m),
    );
  return { text, marks };
};

describe('shell-integration markers (OSC 633)', () => {
  const stream = '\x1b]633;A\x07$ \x1b]633;E;ls \\x3b echo\x07\x1b]633;C\x07out\r\n\x1b]633;D;0\x07';

  it('separates markers from output', () => {
    expect(run([stream])).toEqual({
      text: '$ out\r\n',
      marks: [
        { type: 'prompt' },
        { type: 'command-line', commandLine: 'ls ; echo' },
        { type: 'command-start' },
        { type: 'command-finished', exitCode: 0 },
      ],
    });
  });

  it('finds the same markers however the stream is split', () => {
    const whole = run([stream]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(run([stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
  });

  it('accepts ST as terminator and D without an exit code', () => {
    expect(run(['\x1b]633;D\x1b\\']).marks).toEqual([{ type: 'command-finished', exitCode: undefined }]);
  });

  it('unescapes command lines', () => {
    expect(unescapeValue('a\\\\b\\x3bc')).toBe('a\\b;c');
  });

  it('reports a command once it finishes, ignoring the D bash sends before the first command', () => {
    const seen: CommandFinished[] = [];
    const tracker = new CommandTracker('lab', 'machine1', (e) => seen.push(e));
    tracker.push(Buffer.from('\x1b]633;D\x07'));
    tracker.push(Buffer.from(stream));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ commandLine: 'ls ; echo', exitCode: 0, output: 'out\r\n' });
  });
});

describe('the scrollback ring buffer', () => {
  it('keeps only the last `capacity` bytes', () => {
    const ring = new RingBuffer(8);
    for (const part of ['abc', 'defg', 'hijkl']) ring.push(Buffer.from(part));
    expect(ring.snapshot().toString()).toBe('efghijkl');
    ring.push(Buffer.from('0123456789'));
    expect(ring.snapshot().toString()).toBe('23456789');
    expect(ring.length).toBe(8);
  });
});
