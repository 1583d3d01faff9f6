import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../../../labkit/types';
import { tour } from '../../../labs/iptables-single-server/steps/01-tour';

/** Step 1 reads only the answers: every other part of the context refuses to be used. */
function answering(last: string): CheckContext {
  const unused = (): never => {
    throw new Error('step 1 must judge from the answers alone');
  };
  return {
    lab: { labSessionId: 'x', slot: 1, networks: [], machines: [], createdAt: 0 },
    view: { address: unused, subnet: unused, param: unused },
    sh: unused,
    netnsExec: unused,
    readFile: unused,
    terminals: { transcript: unused, type: unused },
    answers: { jump: 'RH-Firewall-1-INPUT', last },
  };
}

describe('step 1: what the last rule does, in the learner’s words', () => {
  it.each([
    'rejects',
    'It refuses the packet',
    'refused with icmp-host-prohibited',
    'REJECT --reject-with icmp-host-prohibited',
    'sends back host prohibited',
  ])('accepts "%s"', async (answer) => {
    expect(await tour.check(answering(answer))).toMatchObject({ passed: true });
  });

  it.each(['drops it', 'accepts everything', 'nothing'])('does not accept "%s"', async (answer) => {
    expect(await tour.check(answering(answer))).toMatchObject({ passed: false });
  });
});
