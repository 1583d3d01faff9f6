/**
 * A lab's shape: networks and machines, independent of any runtime. Each lab module declares its
 * own; the runtime builds whatever it is given.
 */

export interface NetworkSpec {
  /** Stable id inside the lab, e.g. "lan" or "office". */
  id: string;
  /** Human label shown in the topology diagram. */
  label: string;
  /**
   * Subnet template with "{n}" for the lab's address slot, e.g. "10.1.{n}.0/24": slot 1 is the
   * first lab on a host, each further lab running at the same time gets the next free slot.
   * An operator may override it per network (LAB_<NETWORK>_POOL, see README "Configuration").
   */
  subnet: string;
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
  /** Image name under the server's image prefix, e.g. "client" -> "iptables-lab/client". */
  image: string;
  /** NICs in interface order: the first becomes eth0, the second eth1. */
  nics: NicSpec[];
  /** Linux capabilities added after dropping all of them. */
  capAdd: string[];
}

export interface Topology {
  networks: NetworkSpec[];
  machines: MachineSpec[];
}

/**
 * A machine of the shared `client` image, with the least it needs: NET_RAW for ping, nmap and
 * tcpdump; never NET_ADMIN, which would let a learner take over another machine's address.
 */
export function clientMachine(id: string, label: string, nics: NicSpec[]): MachineSpec {
  return { id, label, image: 'client', nics, capAdd: ['NET_RAW'] };
}
