import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLabRuntime } from '../../support/MemoryLabRuntime';
import { memoryLabSessions } from '../../support/memoryLabSessions';
import { threeNetworkLab } from '../../support/threeNetworkLab';

const LAB = threeNetworkLab.id;

/** Each lab takes 1 s to create; `creating` counts the creations running at the same moment. */
function sessionsWith(options: { startConcurrency: number; warmPoolSize?: number }) {
  const runtime = new MemoryLabRuntime(1000);
  let creating = 0;
  let mostAtOnce = 0;
  const create = runtime.create.bind(runtime);
  runtime.create = async (...args) => {
    mostAtOnce = Math.max(mostAtOnce, ++creating);
    try {
      return await create(...args);
    } finally {
      creating--;
    }
  };
  const { sessions } = memoryLabSessions(runtime, {
    idleMs: 600_000,
    sleepMs: 600_000,
    warmPoolSize: options.warmPoolSize ?? 0,
    maxLabs: 20,
    startConcurrency: options.startConcurrency,
  });
  return { runtime, sessions, mostAtOnce: () => mostAtOnce };
}

describe('the start queue (in-memory runtime, fake clock)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('creates at most `startConcurrency` labs at once, so the first learners are ready early', async () => {
    const { sessions, mostAtOnce } = sessionsWith({ startConcurrency: 2 });
    const readyAt: number[] = [];
    const t0 = Date.now();
    const starts = ['a', 'b', 'c', 'd', 'e'].map((who) =>
      sessions.start(who, LAB).then(() => readyAt.push(Date.now() - t0)),
    );
    await vi.advanceTimersByTimeAsync(3000);
    await Promise.all(starts);
    expect(mostAtOnce()).toBe(2);
    expect(readyAt).toEqual([1000, 1000, 2000, 2000, 3000]);
  });

  it('with 0, starts every lab at once as before', async () => {
    const { sessions, mostAtOnce } = sessionsWith({ startConcurrency: 0 });
    const starts = ['a', 'b', 'c', 'd'].map((who) => sessions.start(who, LAB));
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(starts);
    expect(mostAtOnce()).toBe(4);
  });

  it("serves learners first come, first served: those waiting for warm labs still queued go before a later learner's own lab", async () => {
    const { runtime, sessions } = sessionsWith({ startConcurrency: 1, warmPoolSize: 3 });
    sessions.startBackground();
    // The first warm lab is being created; two more wait in the queue behind it.
    await vi.advanceTimersByTimeAsync(500);
    const ready: string[] = [];
    const start = (who: string) =>
      sessions.start(who, LAB).then((s) => {
        ready.push(who);
        return s;
      });
    // Ann, Bob and Cid each claim one of the three warm labs under way; Dan finds none left, so
    // his own lab is made, in a learner's turn, but after the warm labs the three wait for.
    const [ann, , , dan] = ['ann', 'bob', 'cid', 'dan'].map(start);
    await vi.advanceTimersByTimeAsync(500);
    expect(ready).toEqual(['ann']);
    expect((await ann)?.deployment?.deploymentId).toBe(runtime.created[0]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ready).toEqual(['ann', 'bob']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ready).toEqual(['ann', 'bob', 'cid']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ready).toEqual(['ann', 'bob', 'cid', 'dan']);
    const danSession = await dan;
    expect(danSession?.deployment?.deploymentId).toBe(danSession?.id);
    await vi.advanceTimersByTimeAsync(10_000);
    await sessions.shutdown();
    expect(runtime.labs.size).toBe(0);
  });
});

describe('labs warmed for a class (in-memory runtime, fake clock)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('warms the count asked for on top of the pool, follows it down, and releases them at the deadline', async () => {
    const { runtime, sessions } = sessionsWith({ startConcurrency: 2, warmPoolSize: 1 });
    sessions.startBackground();
    await vi.advanceTimersByTimeAsync(1000);
    expect(sessions.warmReady()).toBe(1);
    sessions.warmFor('class-a', LAB, 4, Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sessions.warmReady()).toBe(5);
    // Two of the class's learners took a lab elsewhere: two warm labs are released at once.
    sessions.warmFor('class-a', LAB, 2, Date.now() + 57_000);
    expect(sessions.warmReady()).toBe(3);
    await vi.advanceTimersByTimeAsync(57_000);
    expect(sessions.warmReady()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runtime.labs.size).toBe(1);
    await sessions.shutdown();
    expect(runtime.labs.size).toBe(0);
  });

  it('never warms past the host limit', async () => {
    const { sessions } = sessionsWith({ startConcurrency: 0 });
    sessions.warmFor('class-a', LAB, 50, Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sessions.warmReady()).toBe(20);
    await sessions.shutdown();
  });
});
