import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instructor } from './support/classroomClient';
import { ClassroomFixture } from './support/classroomFixture';

async function expectRefused(base: string, who: Instructor, body: unknown, message: RegExp): Promise<void> {
  const res = await fetch(`${base}/api/instructor/classes`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
}

// Real Docker: the labs warmed for the learners a class expects are real machines.
describe('a class warms labs for the learners it expects', () => {
  let classroom: ClassroomFixture;

  beforeAll(async () => {
    classroom = await ClassroomFixture.start({ LAB_ROSTER_WARM_MINUTES: '5' });
  });
  afterAll(() => classroom?.close());

  it('refuses an expected size that is not a whole number of learners', async () => {
    const { url, instructor } = classroom;
    await expectRefused(url, instructor, { name: 'A', expectedSize: -1 }, /cannot be negative/);
    await expectRefused(url, instructor, { name: 'A', expectedSize: 2.5 }, /whole number/);
    await expectRefused(url, instructor, { name: 'A', expectedSize: '30' }, /number of learners/);
    await expectRefused(url, instructor, { name: 'A', expectedSize: 5000 }, /at most 1000/);
  });

  it('warms its expected size from its creation, with no dashboard open, hands those labs to the learners, and releases them when it ends', async () => {
    const cls = await classroom.createClass('Expected three', { expectedSize: 3 });
    expect(cls.class.expectedSize).toBe(3);
    // No dashboard is opened in this test: creating the class is what warms its labs.
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 120_000, interval: 250 }).toBe(3);
    const warm = await classroom.runtime.list();
    expect(warm).toHaveLength(3);

    const learners = await Promise.all(['Ann', 'Bob', 'Cy'].map((name) => classroom.join(cls, name)));
    const labs = await Promise.all(learners.map((cookie) => classroom.startLab(cookie, cls.class.labId)));
    // Every learner got one of the warm labs, ready at once.
    expect(labs.map((lab) => lab.status)).toEqual(['ready', 'ready', 'ready']);
    const handed = classroom.sessions.list().map((session) => session.deployment?.deploymentId);
    expect(handed.sort()).toEqual([...warm].sort());
    // The whole class is here and has labs: nothing more is kept warm for it, and none is made.
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 120_000 }).toBe(0);
    await expect.poll(() => classroom.runtime.list(), { timeout: 120_000, interval: 500 }).toHaveLength(3);

    // A class made without a size expects as many learners as the last one had.
    const next = await classroom.createClass('Same again');
    expect(next.class.expectedSize).toBe(3);

    await classroom.endClass(next);
    await classroom.endClass(cls);
    await expect.poll(() => classroom.runtime.list(), { timeout: 120_000, interval: 500 }).toEqual([]);
  }, 300_000);

  it('releases the labs warmed for an ended class even with its dashboard closed', async () => {
    const cls = await classroom.createClass('Ends early', { expectedSize: 1 });
    const dashboard = await classroom.openDashboard(cls);
    await expect.poll(() => classroom.sessions.warmReady(), { timeout: 120_000, interval: 250 }).toBe(1);
    dashboard.close();
    await classroom.endClass(cls);
    await expect.poll(() => classroom.runtime.list(), { timeout: 60_000, interval: 500 }).toEqual([]);
  }, 300_000);
});
