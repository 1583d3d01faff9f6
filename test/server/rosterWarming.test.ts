import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassInfo } from './support/classroomClient';
import { ClassroomFixture } from './support/classroomFixture';

// Real Docker: the labs warmed for a class are real machines, counted through the runtime.
describe('labs warmed for a class when its dashboard opens', () => {
  let classroom: ClassroomFixture;
  let cls: ClassInfo;

  beforeAll(async () => {
    // Labs nobody took are released 15 s after the dashboard was last open: Ann finds hers ready,
    // and the rest of the hold is all the test waits out.
    classroom = await ClassroomFixture.start({ LAB_ROSTER_WARM_MINUTES: '0.25' });
    cls = await classroom.createClass('Warm class');
  });
  afterAll(() => classroom?.close());

  it('warms one lab per learner without one, hands one over at Start, and releases the rest unused', async () => {
    const ann = await classroom.join(cls, 'Ann');
    await classroom.join(cls, 'Bob');
    expect(await classroom.runtime.list()).toEqual([]);

    const dashboard = await classroom.openDashboard(cls);
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 60_000, interval: 200 }).toBe(2);
    const warmLabs = await classroom.runtime.list();
    expect(warmLabs).toHaveLength(2);

    const res = await classroom.askToStartLab(ann, cls.class.labId);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { status: string }).status).toBe('ready');
    // Ann got one of the warm labs: no machines were created for her.
    expect(await classroom.runtime.list()).toEqual(warmLabs);
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 120_000 }).toBe(1);

    dashboard.close();
    // Bob never came: his warm lab goes once the hold is over; Ann's stays.
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 60_000, interval: 500 }).toBe(0);
    // Removing a lab's machines takes long on a loaded host.
    await expect.poll(() => classroom.runtime.list(), { timeout: 120_000, interval: 500 }).toHaveLength(1);
    const [annSession] = classroom.sessions.list();
    expect(annSession?.status).toBe('ready');
    expect(await classroom.runtime.list()).toEqual([annSession?.deployment?.deploymentId]);
  }, 300_000);

  it('releases the labs warmed when a class was created once the hold passes, with no dashboard ever opened', async () => {
    const before = await classroom.runtime.list();
    await classroom.createClass('Nobody came', { expectedSize: 1 });
    // Its lab is made (its machines appear; on a loaded host they may take longer than the hold to be ready).
    await expect
      .poll(async () => (await classroom.runtime.list()).length, { timeout: 60_000, interval: 200 })
      .toBe(before.length + 1);
    // Nobody joins and no dashboard opens: 15 s after the class was created, its lab goes.
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 60_000, interval: 500 }).toBe(0);
    await expect.poll(() => classroom.runtime.list(), { timeout: 120_000, interval: 500 }).toEqual(before);
  }, 300_000);
});
