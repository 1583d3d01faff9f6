import type { Topology } from '../../labkit/topology';

/** Machine 1 on the LAN and the remote office network, a LAN neighbour and an office desktop. */
export const topology: Topology = {
  networks: [
    { id: 'lan', label: 'LAN', subnet: '10.1.{n}.0/24' },
    { id: 'office', label: 'Remote office', subnet: '172.16.{n}.0/24' },
  ],
  machines: [
    {
      id: 'machine1',
      label: 'Machine 1',
      image: 'machine1',
      nics: [
        { network: 'lan', host: 1 },
        { network: 'office', host: 1 },
      ],
      // As in the first lab: iptables, ping, low ports, and what sshd needs to log a user in.
      capAdd: ['NET_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE', 'SETUID', 'SETGID', 'SYS_CHROOT', 'AUDIT_WRITE'],
    },
    { id: 'machine2', label: 'Machine 2', image: 'client', nics: [{ network: 'lan', host: 2 }], capAdd: ['NET_RAW'] },
    {
      id: 'office-pc',
      label: 'office-pc',
      image: 'client',
      nics: [{ network: 'office', host: 10 }],
      capAdd: ['NET_RAW'],
    },
  ],
};
