import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnerCall, type ClassInfo } from './support/classroomClient';
import { ClassroomFixture } from './support/classroomFixture';

const LAB = 'iptables-more-rules';

interface Learner {
  cookie: string;
  id: string;
}

describe('a class for the second lab: each learner gets their own agent port', () => {
  let classroom: ClassroomFixture;
  let cls: ClassInfo;
  let ada: Learner;
  let bob: Learner;
  const sessions: string[] = [];

  const joinAs = async (name: string): Promise<Learner> => {
    const cookie = await classroom.join(cls, name);
    const me = await learnerCall<{ learnerId: string }>(classroom.url, cookie, '/api/me');
    return { cookie, id: me.learnerId };
  };
  const portShownTo = async (learner: Learner): Promise<string> => {
    const detail = await classroom.call<{ parameters: Record<string, string> }>(
      `/api/instructor/classes/${cls.class.id}/learners/${learner.id}`,
    );
    return detail.parameters.agentPort ?? '';
  };

  beforeAll(async () => {
    classroom = await ClassroomFixture.start({}, { grading: true });
    cls = await classroom.createClass('Thursday group', { labId: LAB });
    ada = await joinAs('Ada');
    bob = await joinAs('Bob');
  });
  afterAll(async () => {
    for (const id of sessions)
      await fetch(`${classroom.url}/api/sessions/${id}`, { method: 'DELETE', headers: { cookie: ada.cookie } });
    await classroom?.close();
  });

  it('lets the instructor choose the lab when creating the class', async () => {
    const { labs } = await classroom.call<{ labs: { id: string }[] }>('/api/instructor/labs');
    expect(labs.map((l) => l.id)).toEqual(['iptables-single-server', LAB]);
    expect(cls.class.labId).toBe(LAB);
  });

  it("shows the instructor each learner's port: different for two learners, the same every time", async () => {
    const [adaPort, bobPort] = [await portShownTo(ada), await portShownTo(bob)];
    expect(adaPort).toMatch(/^7\d{3}$/);
    expect(bobPort).toMatch(/^7\d{3}$/);
    expect(adaPort).not.toBe(bobPort);
    expect(await portShownTo(ada)).toBe(adaPort);
  });

  it("puts the learner's own port in their instructions, and fails the other learner's port with a clear message", async () => {
    const lab = await classroom.startLab(ada.cookie, LAB);
    sessions.push(lab.id);
    const steps = await learnerCall<{ steps: { id: string; instructions: string }[] }>(
      classroom.url,
      ada.cookie,
      `/api/sessions/${lab.id}/steps`,
    );
    const text = steps.steps.find((s) => s.id === 'office-only')?.instructions ?? '';
    expect(text).toContain(`--dport ${await portShownTo(ada)} -j ACCEPT`);
    expect(text).not.toContain(await portShownTo(bob));

    const copied = await learnerCall<{ passed: boolean; message: string }>(
      classroom.url,
      ada.cookie,
      `/api/sessions/${lab.id}/steps/find-agent/check`,
      'POST',
      { answers: { port: await portShownTo(bob), state: 'filtered' } },
    );
    expect(copied.passed).toBe(false);
    expect(copied.message).toContain('is not where the agent listens on your Machine 1');
  });
});
