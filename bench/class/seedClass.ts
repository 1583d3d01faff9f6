import { randomBytes } from 'node:crypto';
import { apiTokenHash, newApiToken } from '../../server/classroom/ids';
import { newJoinCode } from '../../server/classroom/joinCode';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import type { ClassRow } from '../../server/store/ClassesRepo';
import type { Store } from '../../server/store/Store';
import { recordAttempt } from '../../server/store/recordAttempt';

export interface SeededClass {
  cls: ClassRow;
  /** The class API token (the store keeps only its hash). */
  apiToken: string;
  steps: { id: string; title: string }[];
  learners: { id: string; sessionId: string }[];
}

/** A simulated class in a real SQLite store: learners, one lab each, and their check attempts. */
export function seedClass(
  store: Store,
  options: {
    learners: number;
    attemptsEach: number;
    labId: string;
    steps: { id: string; title: string }[];
    now?: number;
  },
): SeededClass {
  const { steps, now = Date.now() } = options;
  const stepCount = steps.length;
  const apiToken = newApiToken();
  const cls = store.classes.create({
    id: randomBytes(8).toString('hex'),
    name: 'Bench class',
    joinCode: newJoinCode(),
    apiTokenHash: apiTokenHash(apiToken),
    labId: options.labId,
    createdAt: now - 3_600_000,
  });
  const seeded: SeededClass['learners'] = [];
  store.transaction(() => {
    for (let l = 0; l < options.learners; l++) {
      const id = `learner-${l}`;
      const sessionId = randomBytes(10).toString('hex');
      store.learners.create({ id, displayName: `Learner ${l}`, classId: cls.id, createdAt: now - 3_500_000 + l });
      store.labSessions.insert({
        id: sessionId,
        learnerId: id,
        labId: cls.labId,
        status: 'starting',
        createdAt: now - 3_400_000,
        lastActivity: now - 3_400_000,
      });
      store.labSessions.setDeployment(sessionId, fakeDeployment(sessionId, l + 1), 'ready');
      for (let a = 0; a < options.attemptsEach; a++) {
        // Learners move through the steps: most attempts fail, one in ten passes the step it is on.
        const step = steps[Math.min(stepCount - 1, Math.floor((a * stepCount) / options.attemptsEach))] as {
          id: string;
        };
        recordAttempt(store, sessionId, {
          stepId: step.id,
          at: now - 3_000_000 + a * 1000 + l,
          passed: a % 10 === 9,
          message: 'iptables: machine1 still accepts ICMP echo requests on the LAN (rule 3)',
          trigger: 'check',
        });
      }
      seeded.push({ id, sessionId });
    }
  });
  return { cls, apiToken, steps, learners: seeded };
}

function fakeDeployment(sessionId: string, slot: number): LabDeployment {
  const machines = ['machine1', 'machine2', 'office-pc'].map((id, i) => ({
    id,
    label: id,
    hostname: id,
    addresses: { lan: `10.1.${slot}.${i + 1}` },
    ref: `container-${sessionId}-${id}`,
  }));
  return {
    deploymentId: sessionId,
    slot,
    networks: [{ id: 'lan', label: 'LAN', subnet: `10.1.${slot}.0/24` }],
    machines,
    createdAt: Date.now(),
  };
}
