import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { learnerCall, type LabSessionJson } from './support/classroomClient';
import { ClassroomFixture } from './support/classroomFixture';

const LAB = 'iptables-single-server';

/** A real server and real labs: what ending a class and removing a learner take away. */
describe('class membership: End class and removing a learner', () => {
  let classroom: ClassroomFixture;
  let base: string;

  beforeAll(async () => {
    classroom = await ClassroomFixture.start();
    base = classroom.url;
  }, 120_000);
  afterAll(() => classroom?.close());

  const startLab = (cookie: string) => classroom.askToStartLab(cookie, LAB);

  it('after End class, its learners cannot start a lab (a clear 403), and its dashboard shows no new lab', async () => {
    const cls = await classroom.createClass('Ended class');
    const ann = await classroom.join(cls, 'Ann');
    await classroom.endClass(cls);

    const refused = await startLab(ann);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /Your class "Ended class" has ended, so its lab can no longer be started/,
    );
    expect((await classroom.classView(cls)).learners).toMatchObject([{ displayName: 'Ann', session: null }]);
    expect(classroom.sessions.listOwned(ann.split('=')[1]?.split('.')[0] ?? '')).toEqual([]);
  }, 120_000);

  it('a removed learner’s cookie stops working (HTTP and terminals), their lab ends, and they leave the roster', async () => {
    const cls = await classroom.createClass('Removal class');
    const bo = await classroom.join(cls, 'Bo');
    await classroom.join(cls, 'Cy');
    const started = await startLab(bo);
    expect(started.status).toBe(201);
    const lab = (await started.json()) as LabSessionJson;
    const boId = await classroom.learnerId(cls, 'Bo');

    const answer = await classroom.call<{ removed: boolean; labsEnded: number }>(
      `/api/instructor/classes/${cls.class.id}/learners/${boId}/remove`,
      'POST',
    );
    expect(answer).toEqual({ removed: true, labsEnded: 1 });

    // The lab is gone, and the same cookie is refused everywhere, with a reason.
    expect(classroom.sessions.get(lab.id)).toBeUndefined();
    const sessions = await fetch(`${base}/api/sessions`, { headers: { cookie: bo } });
    expect(sessions.status).toBe(403);
    expect(((await sessions.json()) as { error: { message: string } }).error.message).toMatch(
      /removed you from this class/,
    );
    expect((await startLab(bo)).status).toBe(403);
    const rejoin = await fetch(`${base}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: bo },
      body: JSON.stringify({ code: cls.class.joinCode, displayName: 'Bo again' }),
    });
    expect(rejoin.status).toBe(403);
    const ws = new WebSocket(`${base.replace('http', 'ws')}${lab.machines[0]?.terminalUrl ?? '/ws/x'}`, {
      headers: { cookie: bo, origin: base },
    });
    // A browser never sees a refused upgrade's status: the socket opens and closes as "not signed in".
    const closeCode = await new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    expect(closeCode).toBe(4001);
    ws.terminate();

    // The roster and the grades no longer list Bo; Cy is untouched.
    expect((await classroom.classView(cls)).learners.map((l) => l.displayName)).toEqual(['Cy']);
    expect(
      await classroom
        .call(`/api/instructor/classes/${cls.class.id}/learners/${boId}/remove`, 'POST')
        .catch((error: unknown) => String(error)),
    ).toMatch(/HTTP 404/);
  }, 180_000);

  it('the learner API still serves learners who were not removed', async () => {
    const cls = await classroom.createClass('Kept class');
    const dee = await classroom.join(cls, 'Dee');
    expect(await learnerCall<{ sessions: unknown[] }>(base, dee, '/api/sessions')).toEqual({ sessions: [] });
  });
});
