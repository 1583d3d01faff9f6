/** A lab's shape: networks and machines, independent of any runtime. */

export interface NetworkSpec {
  /** Stable id inside the lab, e.g. "lan" or "office". */
  id: string;
  /** Human label shown in the topology diagram. */
  label: string;
}

export interface NicSpec {
  network: string;
  /** Host number inside the /24, e.g. 1 for 10.1.1.1. */
  host: number;
}

export interface MachineSpec {
  /** Stable id and hostname, e.g. "machine1". */
  id: string;
  label: string;
  image: 'machine1' | 'client';
  /** NICs in interface order: the first becomes eth0, the second eth1. */
  nics: NicSpec[];
  /** Linux capabilities added after dropping all of them. */
  capAdd: string[];
}

export interface Topology {
  networks: NetworkSpec[];
  machines: MachineSpec[];
}

/** The chapter's layout: Machine 1 dual-homed on the LAN and the remote office network. */
export const chapterTopology: Topology = {
  networks: [
    { id: 'lan', label: 'LAN' },
    { id: 'office', label: 'Remote office' },
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
    {
      id: 'machine2',
      label: 'Machine 2',
      image: 'client',
      nics: [{ network: 'lan', host: 2 }],
      // NET_RAW for ping/nmap/tcpdump; never NET_ADMIN, which would allow address takeover.
      capAdd: ['NET_RAW'],
    },
    {
      id: 'office-pc',
      label: 'office-pc',
      image: 'client',
      nics: [{ network: 'office', host: 10 }],
      capAdd: ['NET_RAW'],
    },
  ],
};
