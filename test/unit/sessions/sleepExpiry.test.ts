import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLabRuntime } from '../../support/MemoryLabRuntime';
import { memoryLabSessions } from '../../support/memoryLabSessions';
import { threeNetworkLab } from '../../support/threeNetworkLab';

const LAB = threeNetworkLab.id;
/** memoryLabSessions keeps a sleeping lab this long. */
const SLEEP_MS = 120_000;

function setup(slots = 10) {
  const runtime = new MemoryLabRuntime(10);
  runtime.lastSlot = slots;
  const { sessions, events } = memoryLabSessions(runtime);
  sessions.startBackground();
  const start = async (learnerId: string) => {
    const starting = sessions.start(learnerId, LAB);
    await vi.advanceTimersByTimeAsync(10);
    return starting;
  };
  const ended = (id: string) => events.find((e) => e.type === 'ended' && e.session.id === id);
  return { runtime, sessions, start, ended };
}

// A sleeping lab is kept for sleepMs from when it went to sleep (sleptAt), whatever happened since.
describe('how long a sleeping lab is kept', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is removed sleepMs after it went to sleep, not later', async () => {
    const { sessions, start, ended } = setup();
    const ann = await start('ann');
    await sessions.sleep(ann.id, 'learner');
    const sleptAt = ann.sleptAt ?? 0;
    await vi.advanceTimersByTimeAsync(SLEEP_MS - 5_000);
    expect(ann.status).toBe('sleeping');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ended(ann.id)).toMatchObject({ reason: 'expired' });
    expect(ann.sleptAt ?? sleptAt).toBe(sleptAt);
    await sessions.shutdown();
  });

  it('a wake that failed (no free slot) does not restart the clock: still removed sleepMs after it slept', async () => {
    const { sessions, start, ended } = setup(1);
    const ann = await start('ann');
    await sessions.sleep(ann.id, 'idle');
    const sleptAt = ann.sleptAt;
    const bob = await start('bob');
    // Bob keeps working, so his lab keeps the only slot.
    for (let t = 0; t < SLEEP_MS - 20_000; t += 10_000) {
      sessions.touch(bob.id);
      await vi.advanceTimersByTimeAsync(10_000);
    }
    await expect(sessions.wake(ann.id)).rejects.toMatchObject({ kind: 'capacity' });
    expect(ann.status).toBe('sleeping');
    expect(ann.sleptAt).toBe(sleptAt);
    await vi.advanceTimersByTimeAsync(25_000);
    expect(ended(ann.id)).toMatchObject({ reason: 'expired' });
    await sessions.shutdown();
  });

  it('a lab taken back asleep after a restart is kept until sleepMs after it slept, not after the restart', async () => {
    const { runtime, sessions, ended } = setup();
    const creating = runtime.create('ann-lab', threeNetworkLab.topology);
    await vi.advanceTimersByTimeAsync(10);
    const deployment = await creating;
    const now = Date.now();
    const ann = sessions.adopt({
      id: 'ann-lab',
      labId: LAB,
      learnerId: 'ann',
      deployment,
      createdAt: now - 200_000,
      lastActivityAt: now - 190_000,
      awakeMs: 60_000,
      lastWokenAt: undefined,
      sleptAt: now - 100_000,
    });
    expect(ann.status).toBe('sleeping');
    await vi.advanceTimersByTimeAsync(SLEEP_MS - 100_000 + 5_000);
    expect(ended(ann.id)).toMatchObject({ reason: 'expired' });
    await sessions.shutdown();
  });
});
