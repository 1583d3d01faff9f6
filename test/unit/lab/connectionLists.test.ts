import { describe, expect, it } from 'vitest';
import { labCatalog } from '../../../labkit/catalog';
import { connectionListMachines } from '../../../labkit/types';
import { moreRulesLab } from '../../../labs/iptables-more-rules';
import { singleServerLab } from '../../../labs/iptables-single-server';
import { threeNetworkLab } from '../../support/threeNetworkLab';

describe("a lab's steps name the machines whose connection lists they read", () => {
  it('the first lab reads none, so the journal takes none', () => {
    expect(connectionListMachines(singleServerLab)).toEqual([]);
  });

  it("the second lab reads Machine 1's, for the safeguard step alone", () => {
    expect(connectionListMachines(moreRulesLab)).toEqual(['machine1']);
    const readers = moreRulesLab.steps.filter((s) => s.connectionLists?.length).map((s) => s.id);
    expect(readers).toEqual(['safeguard']);
  });

  it('names each machine once, however many steps read it', () => {
    const [step] = threeNetworkLab.steps;
    if (!step) throw new Error('the lab has no step');
    const steps = [
      { ...step, connectionLists: ['router', 'web'] },
      { ...step, id: 'again', connectionLists: ['router'] },
    ];
    expect(connectionListMachines({ ...threeNetworkLab, steps })).toEqual(['router', 'web']);
  });

  it('refuses a connection list of a machine its topology does not have', () => {
    const [first] = threeNetworkLab.steps;
    if (!first) throw new Error('the lab has no step');
    const lab = { ...threeNetworkLab, steps: [{ ...first, connectionLists: ['nowhere'] }] };
    expect(() => labCatalog([lab])).toThrow(/connection list of "nowhere", which its topology does not have/);
  });
});
