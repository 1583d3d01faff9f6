import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LearnerLine } from '../../../protocol/classViews';
import { RosterWarming } from '../../../server/classroom/RosterWarming';

function line(id: string, lab: string | null, currentStep: string | null = 'backup'): LearnerLine {
  return {
    id,
    displayName: id,
    joinedAt: 0,
    session: lab === null ? null : { sessionId: `s-${id}`, status: lab, machines: [] },
    passed: [],
    failed: [],
    lapsed: [],
    currentStep,
    stuck: false,
    stuckForMs: 0,
    onStepSince: null,
    lastActivity: null,
  };
}

const cls = { id: 'c1', labId: 'lab', endedAt: null, expectedSize: null };

describe('roster warming', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function warming(holdMs = 600_000, maxLabs?: number) {
    const asked: { count: number; until: number }[] = [];
    const roster = new RosterWarming(
      { warmFor: (_key, _lab, count, until) => asked.push({ count, until }) },
      holdMs,
      maxLabs,
    );
    return { roster, asked };
  }

  it('asks for a lab per learner who has none or an ended one and still has steps to do', () => {
    const { roster, asked } = warming();
    roster.opened('c1');
    roster.seen(
      cls,
      [line('a', null), line('b', 'ended'), line('c', 'ready'), line('d', 'sleeping'), line('e', null, null)],
      true,
    );
    expect(asked.at(-1)).toEqual({ count: 2, until: Date.now() + 600_000 });
  });

  it('follows the roster: a joining learner adds one, a learner whose lab starts takes one away', () => {
    const { roster, asked } = warming();
    roster.opened('c1');
    roster.seen(cls, [line('a', null)], true);
    roster.seen(cls, [line('b', null)], false);
    expect(asked.at(-1)?.count).toBe(2);
    roster.seen(cls, [line('a', 'starting')], false);
    expect(asked.at(-1)?.count).toBe(1);
  });

  it('warms nothing for a class whose dashboard was never opened, or once the hold has passed', () => {
    const { roster, asked } = warming(1000);
    roster.seen(cls, [line('a', null)], true);
    expect(asked).toEqual([]);
    roster.opened('c1');
    vi.advanceTimersByTime(1000);
    roster.seen(cls, [line('a', null)], true);
    expect(asked).toEqual([]);
  });

  it('is off with a hold of 0, and asks for none for an ended class', () => {
    const off = warming(0);
    off.roster.opened('c1');
    off.roster.seen(cls, [line('a', null)], true);
    expect(off.asked).toEqual([]);
    const { roster, asked } = warming();
    roster.opened('c1');
    roster.seen({ ...cls, endedAt: 1 }, [line('a', null)], true);
    expect(asked.at(-1)?.count).toBe(0);
  });

  it('also warms for the learners a class expects who have not joined yet', () => {
    const { roster, asked } = warming();
    const expecting = { ...cls, expectedSize: 30 };
    roster.opened('c1');
    roster.seen(expecting, [], true);
    expect(asked.at(-1)?.count).toBe(30);
    // Joining moves a learner from expected to the roster: still one lab each.
    roster.seen(expecting, [line('a', null)], false);
    expect(asked.at(-1)?.count).toBe(30);
    roster.seen(expecting, [line('a', 'ready')], false);
    expect(asked.at(-1)?.count).toBe(29);
    // More learners than expected: one each for those without a lab.
    const lines = Array.from({ length: 32 }, (_, i) => line(`l${i}`, i < 2 ? 'ready' : null));
    roster.seen(expecting, lines, true);
    expect(asked.at(-1)?.count).toBe(30);
  });

  it('never asks for more labs than the host runs at once', () => {
    const { roster, asked } = warming(600_000, 20);
    roster.opened('c1');
    roster.seen({ ...cls, expectedSize: 30 }, [], true);
    expect(asked.at(-1)?.count).toBe(20);
  });

  it('holds the labs while the dashboard stays open, and until the hold after it was last seen', () => {
    const { roster, asked } = warming(10_000);
    roster.opened('c1');
    for (let tick = 0; tick < 6; tick++) {
      vi.advanceTimersByTime(5000);
      roster.seen(cls, [line('a', null)], true);
    }
    expect(asked.at(-1)).toEqual({ count: 1, until: Date.now() + 10_000 });
  });
});
