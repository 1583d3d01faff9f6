import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createClass,
  instructorCall,
  instructorLogin,
  join,
  type ClassInfo,
  type Instructor,
} from './support/classroomClient';
import { startTestServer } from './support/testServer';

const PASSWORD = 'roster-warming-password';

// Real Docker: the labs warmed for a class are real machines, counted through the runtime.
describe('labs warmed for a class when its dashboard opens', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let instructor: Instructor;
  let cls: ClassInfo;

  beforeAll(async () => {
    // Labs nobody took are released 15 s after the dashboard was last open: Ann finds hers ready,
    // and the rest of the hold is all the test waits out.
    server = await startTestServer({ INSTRUCTOR_PASSWORD: PASSWORD, LAB_ROSTER_WARM_MINUTES: '0.25' });
    instructor = await instructorLogin(server.url, PASSWORD);
    cls = await createClass(server.url, instructor, 'Warm class');
  });
  afterAll(() => server.close());

  it('warms one lab per learner without one, hands one over at Start, and releases the rest unused', async () => {
    const ann = await join(server.url, cls.class.joinCode, 'Ann');
    await join(server.url, cls.class.joinCode, 'Bob');
    expect(await server.runtime.list()).toEqual([]);

    const dashboard = new WebSocket(`${server.url.replace('http', 'ws')}/ws/instructor/classes/${cls.class.id}`, {
      headers: { cookie: instructor.cookie },
      origin: server.url,
    });
    await new Promise((resolve) => dashboard.once('open', resolve));
    await expect.poll(() => server.sessions.warmReady(), { timeout: 60_000, interval: 200 }).toBe(2);
    const warmLabs = await server.runtime.list();
    expect(warmLabs).toHaveLength(2);

    const res = await fetch(`${server.url}/api/labs/${cls.class.labId}/sessions`, {
      method: 'POST',
      headers: { cookie: ann },
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { status: string }).status).toBe('ready');
    // Ann got one of the warm labs: no machines were created for her.
    expect(await server.runtime.list()).toEqual(warmLabs);
    await expect.poll(() => server.sessions.warmReady(), { timeout: 10_000 }).toBe(1);

    dashboard.close();
    // Bob never came: his warm lab goes once the hold is over; Ann's stays.
    await expect.poll(() => server.sessions.warmReady(), { timeout: 60_000, interval: 500 }).toBe(0);
    // Removing a lab's machines takes long on a loaded host.
    await expect.poll(() => server.runtime.list(), { timeout: 120_000, interval: 500 }).toHaveLength(1);
    const [annSession] = server.sessions.list();
    expect(annSession?.status).toBe('ready');
    expect(await server.runtime.list()).toEqual([annSession?.deployment?.deploymentId]);
  }, 300_000);

  it('releases the labs warmed when a class was created once the hold passes, with no dashboard ever opened', async () => {
    const before = await server.runtime.list();
    await instructorCall(server.url, instructor, '/api/instructor/classes', 'POST', {
      name: 'Nobody came',
      expectedSize: 1,
    });
    // Its lab is made (its machines appear; on a loaded host they may take longer than the hold to be ready).
    await expect
      .poll(async () => (await server.runtime.list()).length, { timeout: 60_000, interval: 200 })
      .toBe(before.length + 1);
    // Nobody joins and no dashboard opens: 15 s after the class was created, its lab goes.
    await expect.poll(() => server.sessions.warmReady(), { timeout: 60_000, interval: 500 }).toBe(0);
    await expect.poll(() => server.runtime.list(), { timeout: 120_000, interval: 500 }).toEqual(before);
  }, 300_000);
});
