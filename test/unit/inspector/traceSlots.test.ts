import { describe, expect, it } from 'vitest';
import { TraceSlots } from '../../../server/inspector/TraceSlots';

/** A trace that ends when told to, as a PacketTrace does once its helper has exited. */
function fakeTrace(): { stop(reason: string): void; done: Promise<void>; reason?: string } {
  let end!: () => void;
  const trace = {
    reason: undefined as string | undefined,
    done: new Promise<void>((resolve) => (end = resolve)),
    stop(reason: string) {
      trace.reason = reason;
      end();
    },
  };
  return trace;
}

describe('trace helper places', () => {
  it("a learner's new trace stops the previous one and waits until it is gone", async () => {
    const slots = new TraceSlots(4);
    const first = fakeTrace();
    await slots.claim('ann', first);
    const second = fakeTrace();
    const waited = slots.claim('ann', second);
    expect(first.reason).toBe('a new trace started');
    await expect(waited).resolves.toBeUndefined();
    // Another learner's trace is left alone.
    const other = fakeTrace();
    await slots.claim('bob', other);
    expect(second.reason).toBeUndefined();
  });

  it('gives out no more helper places on the host than its limit', () => {
    const slots = new TraceSlots(2);
    expect([slots.take(), slots.take(), slots.take()]).toEqual([true, true, false]);
    slots.release();
    expect(slots.take()).toBe(true);
    expect(slots.inUse).toBe(2);
  });
});
