import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../../server/log/Log';
import { RingBuffer } from '../../../server/sessions/terminal/RingBuffer';
import { ScrollbackFiles } from '../../../server/sessions/terminal/ScrollbackFiles';
import { ScrollbackSaver, type SavedTerminal } from '../../../server/sessions/terminal/ScrollbackSaver';

/** Counts how many writes are on the disk at once; `hold` keeps a write waiting (a slow disk). */
class CountingFiles extends ScrollbackFiles {
  inFlight = 0;
  mostAtOnce = 0;
  hold: Promise<void> | undefined;
  onWrite: (() => void) | undefined;
  override async save(sessionId: string, machineId: string, data: Buffer): Promise<void> {
    this.inFlight += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.inFlight);
    this.onWrite?.();
    try {
      await this.hold;
      await super.save(sessionId, machineId, data);
    } finally {
      this.inFlight -= 1;
    }
  }
}

const terminal = (text: string): SavedTerminal & { scrollback: RingBuffer } => {
  const scrollback = new RingBuffer(1024);
  scrollback.push(Buffer.from(text));
  return { scrollback };
};

describe('scrollback saved while the server runs', () => {
  let dir: string;
  let files: CountingFiles;
  let live: Map<string, SavedTerminal & { scrollback: RingBuffer }>;
  let saver: ScrollbackSaver;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'scrollback-'));
    files = new CountingFiles(dir);
    live = new Map();
    saver = new ScrollbackSaver(files, live, silentLog);
  });
  afterEach(async () => {
    await saver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every changed screen, one file at a time, and only what changed since', async () => {
    for (let i = 0; i < 20; i++) live.set(`s${i}/machine1`, terminal(`screen ${i}`));
    await saver.saveChanged();
    expect(readdirSync(dir)).toHaveLength(20);
    expect(files.mostAtOnce).toBe(1);

    live.get('s3/machine1')?.scrollback.push(Buffer.from(' more'));
    files.mostAtOnce = 0;
    const written: string[] = [];
    const save = files.save.bind(files);
    files.save = (sessionId, machineId, data) => {
      written.push(`${sessionId}/${machineId}`);
      return save(sessionId, machineId, data);
    };
    await saver.saveChanged();
    expect(written).toEqual(['s3/machine1']);
    expect(files.take('s3', 'machine1')?.toString()).toBe('screen 3 more');
  });

  it('does not write a terminal that closed before its turn', async () => {
    live.set('a/machine1', terminal('first'));
    live.set('b/machine1', terminal('second'));
    const round = saver.saveChanged();
    live.delete('b/machine1');
    await round;
    expect(readdirSync(dir)).toEqual(['a.machine1.bin']);
  });

  it('leaves no file of a lab session removed while its save was under way', async () => {
    live.set('gone/machine1', terminal('old screen'));
    live.set('gone/machine2', terminal('old screen'));
    let release = (): void => undefined;
    files.hold = new Promise((resolve) => (release = resolve));
    const writing = new Promise<void>((resolve) => (files.onWrite = resolve));
    const round = saver.saveChanged();
    await writing;
    live.clear();
    const removed = saver.removeSession('gone');
    release();
    await Promise.all([round, removed]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives a lab woken from sleep the screens it had when it went to sleep', async () => {
    const shell = terminal('before sleep');
    live.set('napper/machine1', shell);
    void saver.saveSession('napper');
    live.delete('napper/machine1');
    await saver.settled('napper');
    expect(saver.take('napper', 'machine1')?.toString()).toBe('before sleep');
    expect(saver.take('napper', 'machine1')).toBeUndefined();
  });

  it('writes everything changed before a deliberate stop returns', async () => {
    live.set('kept/machine1', terminal('at shutdown'));
    await saver.stop();
    saver.saveAllNow();
    expect(files.take('kept', 'machine1')?.toString()).toBe('at shutdown');
  });
});
