import { describe, expect, it } from 'vitest';
import { labCatalog } from '../../../labkit/catalog';
import { threeNetworkLab } from '../../support/threeNetworkLab';

describe('a lab declares the firewalls its Firewall view shows', () => {
  it('accepts a firewall on one of its machines', () => {
    expect(labCatalog([threeNetworkLab]).get(threeNetworkLab.id)?.firewalls[0]?.machineId).toBe('router');
  });

  it('refuses a firewall on a machine its topology does not have', () => {
    const lab = { ...threeNetworkLab, firewalls: [{ machineId: 'nowhere', rulesFile: '/etc/rules', service: 'fw' }] };
    expect(() => labCatalog([lab])).toThrow(/"nowhere", which its topology does not have/);
  });
});
