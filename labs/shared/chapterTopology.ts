import { clientMachine, type Topology } from '../../labkit/topology';
import type { LabView } from '../../labkit/types';

/** The chapter's layout, shared by the labs set on it: Machine 1 dual-homed on the LAN and the remote office network. */
export const chapterTopology: Topology = {
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
      // NET_ADMIN for iptables, NET_RAW for ping; SETUID, SETGID, SYS_CHROOT and AUDIT_WRITE are
      // what sshd's privilege separation and login need; NET_BIND_SERVICE for the low ports on
      // runtimes that do not open them to everyone. Each was tested by removing it.
      capAdd: ['NET_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE', 'SETUID', 'SETGID', 'SYS_CHROOT', 'AUDIT_WRITE'],
    },
    clientMachine('machine2', 'Machine 2', [{ network: 'lan', host: 2 }]),
    clientMachine('office-pc', 'office-pc', [{ network: 'office', host: 10 }]),
  ],
};

/** This session's addresses on the chapter's network, under the names the instructions use. */
export function chapterAddrs(view: LabView) {
  return {
    m1: view.address('machine1', 'lan'),
    m1Office: view.address('machine1', 'office'),
    m2: view.address('machine2', 'lan'),
    pc: view.address('office-pc', 'office'),
    lan: view.subnet('lan'),
    office: view.subnet('office'),
  };
}
