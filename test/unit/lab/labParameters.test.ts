import { describe, expect, it } from 'vitest';
import { drawParameters, learnerSeed } from '../../../labkit/parameters';
import type { LabModule } from '../../../labkit/types';
import { labParameters } from '../../../server/grading/labParameters';
import { threeNetworkLab } from '../../support/threeNetworkLab';

const lab: LabModule = {
  ...threeNetworkLab,
  parameters: {
    agentPort: { kind: 'port', min: 7000, max: 7999, avoid: [7001] },
    zone: { kind: 'choice', values: ['a', 'b', 'c'] },
  },
};

describe('per-learner parameters', () => {
  const of = labParameters('server-secret');

  it('are the same for one learner every time (resets, wakes and restarts draw them again)', () => {
    expect(of('learner-1', lab)).toEqual(of('learner-1', lab));
    expect(labParameters('server-secret')('learner-1', lab)).toEqual(of('learner-1', lab));
  });

  it('differ between two learners of one class', () => {
    const ports = new Set(Array.from({ length: 20 }, (_, i) => of(`learner-${i}`, lab).agentPort));
    expect(ports.size).toBeGreaterThan(15);
  });

  it('stay in their range and avoid the ports they must not take', () => {
    for (let i = 0; i < 200; i++) {
      const { agentPort, zone } = of(`learner-${i}`, lab);
      expect(Number(agentPort)).toBeGreaterThanOrEqual(7000);
      expect(Number(agentPort)).toBeLessThanOrEqual(7999);
      expect(agentPort).not.toBe('7001');
      expect(['a', 'b', 'c']).toContain(zone);
    }
  });

  it('depend on the server secret, so a learner cannot compute another learner values', () => {
    expect(learnerSeed('one', 'learner-1', lab.id)).not.toBe(learnerSeed('two', 'learner-1', lab.id));
    expect(learnerSeed('one', 'learner-1', lab.id)).not.toBe(learnerSeed('one', 'learner-1', 'other-lab'));
  });

  it('are none for a lab without parameters', () => {
    expect(of('learner-1', threeNetworkLab)).toEqual({});
  });

  it('refuse a range with no port in it', () => {
    expect(() => drawParameters({ p: { kind: 'port', min: 10, max: 10, avoid: [10] } }, 'seed')).toThrow(
      /no free port/,
    );
  });
});
