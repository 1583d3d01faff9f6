import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/log/createLogger';

function capture(): { stream: Writable; lines: () => { level: number; time: string; msg: string }[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    stream,
    lines: () =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: number; time: string; msg: string }),
  };
}

describe('the server log', () => {
  it('writes JSON lines with a timestamp and a level', () => {
    const out = capture();
    const logger = createLogger(out.stream);
    const log = logger.log;
    log('serving on http://127.0.0.1:8080');
    log('could not save', 'error');
    logger.close();
    const [info, error] = out.lines();
    expect(info).toMatchObject({ level: 30, msg: 'serving on http://127.0.0.1:8080' });
    expect(Date.parse(info?.time ?? '')).not.toBeNaN();
    expect(error?.level).toBe(50);
  });

  it('keeps a flood of the same warning to a few lines and says how many it left out', () => {
    const out = capture();
    const logger = createLogger(out.stream);
    const log = logger.log;
    for (let i = 0; i < 2000; i++)
      log(`bad WebSocket handshake from 10.0.${i % 250}.${i % 7}: Invalid Sec-WebSocket-Key header`, 'warn');
    log('a different warning', 'warn');
    logger.close();
    const lines = out.lines();
    expect(lines.length).toBeLessThanOrEqual(7);
    expect(lines.map((l) => l.msg)).toContain('a different warning');
    expect(lines.at(-1)?.msg).toMatch(/^1995 more like this/);
  });

  it('writes debug lines only when asked for, and nothing below the level set', () => {
    const out = capture();
    const logger = createLogger(out.stream);
    logger.log('a detail', 'debug');
    logger.log('started');
    logger.setLevel('debug');
    logger.log('another detail', 'debug');
    logger.setLevel('warn');
    logger.log('an ordinary line');
    logger.log('disk nearly full', 'warn');
    logger.close();
    expect(out.lines().map((l) => [l.level, l.msg])).toEqual([
      [30, 'started'],
      [20, 'another detail'],
      [40, 'disk nearly full'],
    ]);
  });
});
