import { labCatalog } from '../../labkit/catalog';
import { clientMachine } from '../../labkit/topology';
import { fail, pass, type LabModule } from '../../labkit/types';

/**
 * A lab used only by tests: a different shape from the chapter's (three networks, a router on
 * all of them, only the client image), to prove the server and runtime build whatever a lab
 * declares.
 */
export const threeNetworkLab: LabModule = {
  id: 'test-three-networks',
  title: 'Three networks (test)',
  summary: 'A router between a DMZ, a LAN and a WAN.',
  topology: {
    networks: [
      { id: 'dmz', label: 'DMZ', subnet: '10.231.{n}.0/24' },
      { id: 'lan', label: 'LAN', subnet: '10.232.{n}.0/24' },
      { id: 'wan', label: 'WAN', subnet: '10.233.{n}.0/24' },
    ],
    machines: [
      clientMachine('router', 'Router', [
        { network: 'dmz', host: 1 },
        { network: 'lan', host: 1 },
        { network: 'wan', host: 1 },
      ]),
      clientMachine('web', 'Web server', [{ network: 'dmz', host: 80 }]),
      clientMachine('pc', 'PC', [{ network: 'lan', host: 20 }]),
    ],
  },
  firewalls: [{ machineId: 'router', rulesFile: '/etc/iptables/rules.v4', service: 'netfilter-persistent' }],
  intro: (view) => `The router is \`${view.address('router', 'wan')}\` on the WAN.`,
  steps: [
    {
      id: 'hostname',
      title: 'Name the router',
      instructions: () => 'Nothing to do.',
      hints: () => [],
      latching: 'current',
      async check(ctx) {
        const r = await ctx.sh('router', 'hostname');
        return r.stdout.trim() === 'router' ? pass('It is the router.') : fail(`The router says it is ${r.stdout}`);
      },
      async solve() {},
    },
  ],
};

export const threeNetworkCatalog = labCatalog([threeNetworkLab]);
