import { describe, expect, it } from 'vitest';
import type { CheckContext, LabView } from '../../../labkit/types';
import { moreRulesLab } from '../../../labs/iptables-more-rules';
import { labParameters } from '../../../server/grading/labParameters';

const parametersOf = labParameters('a class server secret');

/** Learner's view: made-up addresses, the learner's own parameters. */
function viewOf(learnerId: string): LabView {
  const parameters = parametersOf(learnerId, moreRulesLab);
  return {
    address: (machineId, networkId) => `${machineId}.${networkId}.example`,
    subnet: () => '172.16.1.0/24',
    param: (name) => parameters[name] ?? '',
  };
}

/** The first step reads only its answers and the view: no machine is asked anything. */
function answersOnly(view: LabView, answers: Record<string, string>): CheckContext {
  const none = (): never => {
    throw new Error('the answer check must not touch a machine');
  };
  return {
    lab: { labSessionId: 's', slot: 1, networks: [], machines: [], createdAt: 0 },
    view,
    sh: none,
    netnsExec: none,
    readFile: none,
    terminals: { transcript: none, type: none },
    answers,
  };
}

describe('two learners of one class', () => {
  const ada = viewOf('learner-ada');
  const bob = viewOf('learner-bob');
  const step = moreRulesLab.steps[0];

  it('get different agent ports, shown in their own instructions', () => {
    expect(ada.param('agentPort')).not.toBe(bob.param('agentPort'));
    const text = moreRulesLab.steps[1]?.instructions(ada) ?? '';
    expect(text).toContain(`--dport ${ada.param('agentPort')}`);
    expect(text).not.toContain(bob.param('agentPort'));
  });

  it("fail the check with the other learner's port, and say why", async () => {
    const copied = await step?.check(answersOnly(ada, { port: bob.param('agentPort'), state: 'filtered' }));
    expect(copied?.passed).toBe(false);
    expect(copied?.message).toMatch(
      /is not where the agent listens on your Machine 1.*Every learner's agent has its own port/,
    );
  });

  it('pass it with their own', async () => {
    const own = await step?.check(answersOnly(ada, { port: ada.param('agentPort'), state: 'filtered' }));
    expect(own).toMatchObject({ passed: true });
  });
});
