import { describe, expect, it } from 'vitest';
import { CheckQueue } from '../../../server/grading/CheckQueue';

/** A piece of work that finishes when the test says so. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('the host-wide check queue', () => {
  it('never runs more checks at once than its concurrency', async () => {
    const queue = new CheckQueue(2);
    const gates = [gate(), gate(), gate(), gate()];
    let running = 0;
    let most = 0;
    const all = gates.map((g, i) =>
      queue.run(`learner-${i}`, async () => {
        running += 1;
        most = Math.max(most, running);
        await g.promise;
        running -= 1;
      }),
    );
    await tick();
    expect(queue.runningCount).toBe(2);
    expect(queue.waitingCount).toBe(2);
    for (const g of gates) g.open();
    await Promise.all(all);
    expect(most).toBe(2);
    expect(queue.runningCount).toBe(0);
  });

  it('takes learners in turn: a learner with many checks waiting delays another by at most one', async () => {
    const queue = new CheckQueue(1);
    const order: string[] = [];
    const first = gate();
    const busy = queue.run('busy', async () => {
      order.push('busy-0');
      await first.promise;
    });
    const more = [1, 2, 3].map((n) => queue.run('busy', async () => void order.push(`busy-${n}`)));
    const other = queue.run('other', async () => void order.push('other'));
    first.open();
    await Promise.all([busy, ...more, other]);
    expect(order).toEqual(['busy-0', 'busy-1', 'other', 'busy-2', 'busy-3']);
  });

  it('frees the place of a check that failed, and hands its error to its caller only', async () => {
    const queue = new CheckQueue(1);
    const failed = queue.run('a', () => Promise.reject(new Error('probe broke')));
    const next = queue.run('b', async () => 'ran');
    await expect(failed).rejects.toThrow('probe broke');
    await expect(next).resolves.toBe('ran');
  });

  it('with concurrency 0 runs everything at once', async () => {
    const queue = new CheckQueue(0);
    const g = gate();
    const all = [1, 2, 3, 4, 5].map((n) => queue.run(`l${n}`, () => g.promise));
    await tick();
    expect(queue.runningCount).toBe(5);
    g.open();
    await Promise.all(all);
  });
});
