import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LearnerLine } from '../../../protocol/classViews';
import { ClassroomChanges } from '../../../server/classroom/ClassroomChanges';
import { RosterWarming } from '../../../server/classroom/RosterWarming';
import type { ClassRow } from '../../../server/store/ClassesRepo';
import { newSession } from '../../../server/sessions/newSession';

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

/** Learners whose Start is under way: a live lab in memory that the store (their line) does not show yet. */
const underWay = new Set<string>();
const starting = (learnerId: string) =>
  underWay.has(learnerId) ? [newSession(learnerId, 'lab', { idleMs: 60_000, maxAgeMs: 0 })] : [];

describe('roster warming', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    underWay.clear();
  });

  function warming(holdMs = 600_000, maxLabs?: number) {
    const asked: { count: number; until: number }[] = [];
    const roster = new RosterWarming(
      { warmFor: (_key, _lab, count, until) => asked.push({ count, until }), listOwned: (id) => starting(id) },
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

  it('counts no lab for a learner whose Start is under way, though their line shows none yet', () => {
    const { roster, asked } = warming();
    const expecting = { ...cls, expectedSize: 3 };
    roster.opened('c1');
    roster.seen(expecting, [], true);
    expect(asked.at(-1)?.count).toBe(3);
    // Ann joined and pressed Start at once: her lab (a warm one or her own) is being made.
    underWay.add('a');
    roster.seen(expecting, [line('a', null)], false);
    expect(asked.at(-1)?.count).toBe(2);
    // Her lab is ready and recorded: still none for her.
    underWay.delete('a');
    roster.seen(expecting, [line('a', 'ready')], false);
    expect(asked.at(-1)?.count).toBe(2);
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

  describe('from the moment the class is created, no dashboard open', () => {
    const row: ClassRow = {
      id: 'c1',
      name: 'C',
      joinCode: 'ABCDEFGH',
      apiTokenHash: 'x',
      labId: 'lab',
      createdAt: 0,
      endedAt: null,
      expectedSize: 3,
    };

    function undashboarded(holdMs = 600_000) {
      const asked: { count: number; until: number }[] = [];
      const changes = new ClassroomChanges(0);
      const lines = new Map<string, LearnerLine>();
      const roster = new RosterWarming(
        { warmFor: (_key, _lab, count, until) => asked.push({ count, until }), listOwned: (id) => starting(id) },
        holdMs,
        undefined,
        {
          changes,
          cls: (id) => (id === row.id ? row : undefined),
          lines: (_cls, ids) => [...lines.values()].filter((l) => ids === 'all' || ids.has(l.id)),
        },
      );
      /** A learner's line changes, as the store would say, and the change is announced. */
      const learner = (next: LearnerLine) => {
        lines.set(next.id, next);
        changes.notify(next.id);
        vi.advanceTimersByTime(1);
      };
      return { roster, asked, learner };
    }

    it('warms the expected size at creation, held for the hold', () => {
      const { roster, asked } = undashboarded(60_000);
      roster.created(row);
      expect(asked.at(-1)).toEqual({ count: 3, until: Date.now() + 60_000 });
    });

    it('follows learners joining and starting without a dashboard, and does not extend the hold', () => {
      const { roster, asked, learner } = undashboarded(60_000);
      roster.created(row);
      const until = Date.now() + 60_000;
      learner(line('a', null));
      expect(asked.at(-1)).toEqual({ count: 3, until });
      learner(line('a', 'ready'));
      expect(asked.at(-1)).toEqual({ count: 2, until });
      learner(line('b', 'starting'));
      expect(asked.at(-1)).toEqual({ count: 1, until });
    });

    it('stops following a class once its hold has passed', () => {
      const { roster, asked, learner } = undashboarded(1000);
      roster.created(row);
      const before = asked.length;
      vi.advanceTimersByTime(1000);
      learner(line('a', 'ready'));
      expect(asked).toHaveLength(before);
    });
  });
});
