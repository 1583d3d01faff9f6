import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClassroomFixture } from './support/classroomFixture';
import { guestCookie } from './support/testServer';

/** A lab no class here uses, so nobody keeps it warm. */
const OTHER_LAB = 'iptables-more-rules';

// Real Docker: a host of three labs that creates one at a time, so the order of creations shows.
describe('labs warmed for a class: learners first, within the host, released', () => {
  let classroom: ClassroomFixture;

  beforeAll(async () => {
    classroom = await ClassroomFixture.start({
      LAB_ROSTER_WARM_MINUTES: '5',
      LAB_START_CONCURRENCY: '1',
      LAB_MAX_PER_HOST: '3',
    });
  });
  afterAll(() => classroom?.close());

  it('makes the lab of a learner pressing Start before warm labs still waiting their turn', async () => {
    const cls = await classroom.createClass('Warming slowly', { expectedSize: 2 });
    // The first warm lab is being made and the second waits its turn when a guest starts another lab,
    // which nobody keeps warm.
    const guest = await guestCookie(classroom.url);
    const lab = await classroom.startLab(guest, OTHER_LAB);
    expect(lab.status).toBe('ready');
    expect(cls.class.labId).not.toBe(OTHER_LAB);
    // Made ahead of the queued warm lab: at most the one already being made is ready.
    expect(classroom.sessions.warmReady()).toBeLessThanOrEqual(1);

    await classroom.endClass(cls);
    await classroom.sessions.end(lab.id, 'learner');
    await expect.poll(() => classroom.runtime.list(), { timeout: 120_000, interval: 500 }).toEqual([]);
  }, 300_000);

  it('hands a learner pressing Start while the class still warms the first warm lab done, and makes none extra', async () => {
    const cls = await classroom.createClass('Early bird', { expectedSize: 2 });
    const ann = await classroom.join(cls, 'Ann');
    const lab = await classroom.startLab(ann, cls.class.labId);
    expect(lab.status).toBe('ready');
    // One of the class's warm labs, not one made under her session's id.
    expect(classroom.sessions.get(lab.id)?.deployment?.deploymentId).not.toBe(lab.id);
    // The class still expects one learner: one warm lab for them, and no more labs than that.
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 120_000, interval: 250 }).toBe(1);
    expect(await classroom.runtime.list()).toHaveLength(2);

    await classroom.endClass(cls);
    await expect.poll(() => classroom.runtime.list(), { timeout: 120_000, interval: 500 }).toEqual([]);
  }, 300_000);

  it('makes one lab for a learner who joins and presses Start at once, none warm beside it', async () => {
    const cls = await classroom.createClass('Walk-in', { expectedSize: 0 });
    const creations = vi.spyOn(classroom.runtime, 'create');
    try {
      const ann = await classroom.join(cls, 'Ann');
      // Her Start comes before the roster's update for her join: the class then warms for a
      // learner whose lab is already under way unless it sees that lab.
      const lab = await classroom.startLab(ann, cls.class.labId);
      expect(lab.status).toBe('ready');
      // One at a time on this host: a warm lab asked for meanwhile would be made right after hers.
      expect(creations).toHaveBeenCalledTimes(1);
      expect(await classroom.runtime.list()).toHaveLength(1);
      expect(classroom.sessions.warmReady()).toBe(0);
    } finally {
      creations.mockRestore();
    }
    await classroom.endClass(cls);
    await expect.poll(() => classroom.runtime.list(), { timeout: 120_000, interval: 500 }).toEqual([]);
  }, 300_000);

  it('warms no more labs than the host runs at once, and releases them when the class ends', async () => {
    const cls = await classroom.createClass('Too big for the host', { expectedSize: 5 });
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 180_000, interval: 250 }).toBe(3);
    // Warm labs being made count against the limit too: none is on its way beyond the three.
    expect(await classroom.runtime.list()).toHaveLength(3);

    await classroom.endClass(cls);
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 120_000 }).toBe(0);
    await expect.poll(() => classroom.runtime.list(), { timeout: 120_000, interval: 500 }).toEqual([]);
  }, 300_000);
});
