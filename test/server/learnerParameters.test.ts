import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  instructorCall,
  instructorLogin,
  join,
  learnerCall,
  type ClassInfo,
  type Instructor,
  type LabSessionJson,
} from './support/classroomClient';
import { startTestServer } from './support/testServer';

const PASSWORD = 'parameters-test-password';
const LAB = 'iptables-more-rules';

interface Learner {
  cookie: string;
  id: string;
}

describe('a class for the second lab: each learner gets their own agent port', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let instructor: Instructor;
  let cls: ClassInfo;
  let ada: Learner;
  let bob: Learner;
  const sessions: string[] = [];

  const joinAs = async (name: string): Promise<Learner> => {
    const cookie = await join(server.url, cls.class.joinCode, name);
    const me = await learnerCall<{ learnerId: string }>(server.url, cookie, '/api/me');
    return { cookie, id: me.learnerId };
  };
  const portShownTo = async (learner: Learner): Promise<string> => {
    const detail = await instructorCall<{ parameters: Record<string, string> }>(
      server.url,
      instructor,
      `/api/instructor/classes/${cls.class.id}/learners/${learner.id}`,
    );
    return detail.parameters.agentPort ?? '';
  };

  beforeAll(async () => {
    server = await startTestServer({ INSTRUCTOR_PASSWORD: PASSWORD }, { grading: true });
    instructor = await instructorLogin(server.url, PASSWORD);
    cls = await instructorCall<ClassInfo>(server.url, instructor, '/api/instructor/classes', 'POST', {
      name: 'Thursday group',
      labId: LAB,
    });
    ada = await joinAs('Ada');
    bob = await joinAs('Bob');
  });
  afterAll(async () => {
    for (const id of sessions)
      await fetch(`${server.url}/api/sessions/${id}`, { method: 'DELETE', headers: { cookie: ada.cookie } });
    await server.close();
  });

  it('lets the instructor choose the lab when creating the class', async () => {
    const { labs } = await instructorCall<{ labs: { id: string }[] }>(server.url, instructor, '/api/instructor/labs');
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
    const lab = await learnerCall<LabSessionJson>(server.url, ada.cookie, `/api/labs/${LAB}/sessions`, 'POST');
    sessions.push(lab.id);
    const steps = await learnerCall<{ steps: { id: string; instructions: string }[] }>(
      server.url,
      ada.cookie,
      `/api/sessions/${lab.id}/steps`,
    );
    const text = steps.steps.find((s) => s.id === 'office-only')?.instructions ?? '';
    expect(text).toContain(`--dport ${await portShownTo(ada)} -j ACCEPT`);
    expect(text).not.toContain(await portShownTo(bob));

    const copied = await learnerCall<{ passed: boolean; message: string }>(
      server.url,
      ada.cookie,
      `/api/sessions/${lab.id}/steps/find-agent/check`,
      'POST',
      { answers: { port: await portShownTo(bob), state: 'filtered' } },
    );
    expect(copied.passed).toBe(false);
    expect(copied.message).toContain('is not where the agent listens on your Machine 1');
  });
});
