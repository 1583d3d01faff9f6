import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostSawView, TimelineView } from '../../protocol/timeline';
import type { ClassInfo, Instructor, LabSessionJson } from './support/classroomClient';
import { ClassroomFixture } from './support/classroomFixture';

/** A real server and a real lab: who may read a learner's timeline and "what the host saw", and what they get. */
describe('the journal read by people: who may ask', () => {
  let classroom: ClassroomFixture;
  let base: string;
  let instructor: Instructor;
  let classA: ClassInfo;
  let classB: ClassInfo;
  let ann: string;
  let annId: string;
  let bo: string;
  let boId: string;
  let lab: LabSessionJson;

  const get = async (route: string, cookie?: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${base}${route}`, { headers: cookie ? { cookie } : {} });
    return { status: res.status, body: await res.json() };
  };
  const timelineOf = (cls: ClassInfo, learnerId: string): string =>
    `/api/instructor/classes/${cls.class.id}/learners/${learnerId}/timeline`;

  beforeAll(async () => {
    classroom = await ClassroomFixture.start({}, { grading: true });
    ({ url: base, instructor } = classroom);
    classA = await classroom.createClass('Class A');
    classB = await classroom.createClass('Class B');
    ann = await classroom.join(classA, 'Ann');
    bo = await classroom.join(classB, 'Bo');
    annId = await classroom.learnerId(classA, 'Ann');
    boId = await classroom.learnerId(classB, 'Bo');
    const started = await classroom.askToStartLab(ann, 'iptables-single-server');
    expect(started.status).toBe(201);
    lab = (await started.json()) as LabSessionJson;
  }, 240_000);
  afterAll(() => classroom?.close());

  it('gives the class’s instructor the learner’s timeline: the lab’s life and every check, with its verdict', async () => {
    const check = await fetch(`${base}/api/sessions/${lab.id}/steps/tour/check`, {
      method: 'POST',
      headers: { cookie: ann, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(check.status).toBe(200);
    await expect
      .poll(async () => (await classroom.call<TimelineView>(timelineOf(classA, annId))).entries, {
        timeout: 30_000,
      })
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'note', text: 'lab started' }),
          expect.objectContaining({ kind: 'check', stepId: 'tour', passed: false, source: 'host' }),
        ]),
      );
    const view = await classroom.call<TimelineView>(timelineOf(classA, annId));
    expect(view).toMatchObject({ sessionId: lab.id, status: 'live', omitted: 0 });
  }, 120_000);

  it('says plainly when the learner has not started the lab', async () => {
    expect(await classroom.call<TimelineView>(timelineOf(classB, boId))).toEqual({
      sessionId: null,
      status: 'none',
      entries: [],
      omitted: 0,
    });
  });

  it('refuses anyone but the instructor, another class’s learner, and ids that are not ids', async () => {
    expect((await get(timelineOf(classA, annId))).status).toBe(401);
    expect((await get(timelineOf(classA, annId), ann)).status).toBe(401);
    const otherClass = await fetch(`${base}${timelineOf(classB, annId)}`, {
      headers: { cookie: instructor.cookie },
    });
    expect(otherClass.status).toBe(404);
    expect(await otherClass.json()).toMatchObject({ error: { message: 'No such learner in this class' } });
    const unknown = await fetch(`${base}${timelineOf(classA, 'l-000000000000000000')}`, {
      headers: { cookie: instructor.cookie },
    });
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${base}${timelineOf(classA, 'NOT%20AN%20ID')}`, {
      headers: { cookie: instructor.cookie },
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { message: 'Not a learner id' } });
  });

  it('shows a learner what the host saw for a step of their own lab only', async () => {
    const own = await get(`/api/sessions/${lab.id}/host-saw?step=tour`, ann);
    expect(own.status).toBe(200);
    const saw = own.body as HostSawView;
    expect(saw.stepId).toBe('tour');
    expect(saw.lastCheck).toMatchObject({ kind: 'check', stepId: 'tour', passed: false });
    expect(saw.recent.every((e) => e.rules === undefined)).toBe(true);

    expect((await get(`/api/sessions/${lab.id}/host-saw?step=tour`, bo)).status).toBe(404);
    expect((await get(`/api/sessions/${lab.id}/host-saw?step=tour`)).status).toBe(401);
    expect((await get(`/api/sessions/${lab.id}/host-saw`, ann)).body).toMatchObject({
      error: { message: 'Name the step: ?step=<step id>' },
    });
    expect((await get(`/api/sessions/${lab.id}/host-saw?step=no-such-step`, ann)).status).toBe(404);
    expect((await get(`/api/sessions/not-a-session/host-saw?step=tour`, ann)).status).toBe(404);
  });
});
