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

const cls = { id: 'c1', labId: 'lab', endedAt: null };

describe('roster warming', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function warming(holdMs = 600_000) {
    const asked: { count: number; until: number }[] = [];
    const roster = new RosterWarming({ warmFor: (_key, _lab, count, until) => asked.push({ count, until }) }, holdMs);
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
});
