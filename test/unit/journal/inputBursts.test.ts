import { describe, expect, it } from 'vitest';
import type { JournalInput } from '../../../labkit/journal';
import { InputBursts, WINDOW_MS } from '../../../server/journal/InputBursts';

function bursts(lastSeq = 0) {
  const recorded: JournalInput[] = [];
  const b = new InputBursts(
    () => lastSeq,
    (_id, e) => recorded.push(e),
  );
  return { b, recorded };
}

describe('keystrokes kept as bursts', () => {
  it('records at most one event per machine per second, counting every byte', () => {
    const { b, recorded } = bursts();
    for (let t = 0; t < 3_000; t += 50) b.typed('s', 'machine1', 2, 10_000 + t);
    b.settle(20_000);
    expect(recorded).toHaveLength(3);
    expect(recorded.map((e) => e.bytes).reduce((x, y) => x + y)).toBe(120);
    expect(recorded.map((e) => [e.at, e.until])).toEqual([
      [10_000, 10_950],
      [11_000, 11_950],
      [12_000, 12_950],
    ]);
    expect(recorded.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('keeps machines apart and records a burst only once its window has passed', () => {
    const { b, recorded } = bursts();
    b.typed('s', 'machine1', 1, 1_000);
    b.typed('s', 'machine2', 5, 1_100);
    b.settle(1_000 + WINDOW_MS - 1);
    expect(recorded).toEqual([]);
    b.settle(1_100 + WINDOW_MS);
    expect(recorded.map((e) => [e.machineId, e.bytes])).toEqual([
      ['machine1', 1],
      ['machine2', 5],
    ]);
  });

  it('closes a session’s bursts at once for a check, and leaves other sessions’ open', () => {
    const { b, recorded } = bursts();
    b.typed('s', 'machine1', 3, 1_000);
    b.typed('other', 'machine1', 3, 1_000);
    b.settle(1_200, 's');
    expect(recorded.map((e) => `${e.machineId}:${e.bytes}`)).toEqual(['machine1:3']);
  });

  it('numbers on from the last burst recorded before a restart', () => {
    const { b, recorded } = bursts(41);
    b.typed('s', 'machine1', 1, 1_000);
    b.forget('s');
    expect(recorded[0]?.seq).toBe(42);
  });

  it('ignores empty writes', () => {
    const { b, recorded } = bursts();
    b.typed('s', 'machine1', 0, 1_000);
    b.settle(Number.POSITIVE_INFINITY);
    expect(recorded).toEqual([]);
  });
});
