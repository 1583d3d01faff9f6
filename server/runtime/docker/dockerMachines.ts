import type Docker from 'dockerode';
import { hostAddress } from '../addressPool';
import type { LabMachine } from '../LabRuntime';
import type { MachineSpec, Topology } from '../../../labkit/topology';
import type { DiskLimit } from './diskLimit';
import type { MachineFiles } from './machineDisks';
import type { CreatedNetworks } from './dockerNetworks';
import { LABEL, resourceName } from './labels';
import { terminalMount } from './terminalVolume';
import { untimed, type PhaseClock } from './phaseClock';

export interface MachineLimits {
  imagePrefix: string;
  memoryMb: number;
  pidsLimit: number;
  cpus: number;
}

/**
 * Each machine resolves the others by name through /etc/hosts, using the address it can
 * actually reach (a machine on two networks has one address on each, and each neighbour reaches it by the one it shares).
 */
function hostsFor(machine: MachineSpec, topology: Topology, nets: CreatedNetworks): string[] {
  const mine = new Set(machine.nics.map((n) => n.network));
  const entries: string[] = [];
  for (const other of topology.machines) {
    const shared = other.nics.find((n) => mine.has(n.network)) ?? other.nics[0];
    const subnet = shared && nets.networks[shared.network]?.subnet;
    if (shared && subnet) entries.push(`${other.id}:${hostAddress(subnet, shared.host)}`);
  }
  return entries;
}

/** The machine's /etc/hosts: every lab machine by name, at the address this one reaches it on. */
export function hostsFile(machine: MachineSpec, topology: Topology, nets: CreatedNetworks): string {
  return machineFiles(machine, hostsFor(machine, topology, nets), addressesOf(machine, nets)).hosts;
}

/** How a machine joins one of its networks: a fixed address, and its name as an alias. */
export function endpointFor(machineId: string, address: string | undefined): Docker.EndpointSettings {
  return { IPAMConfig: { IPv4Address: address }, Aliases: [machineId] };
}

/** What Docker would write into the machine's /etc files, for machines whose files live on their own disk. */
function machineFiles(machine: MachineSpec, hosts: string[], addresses: Record<string, string>): MachineFiles {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const entry of hosts) {
    const [name, address] = entry.split(':');
    lines.push(`${address}\t${name}`);
  }
  for (const address of Object.values(addresses)) lines.push(`${address}\t${machine.id}`);
  // What lab-resolver writes at boot anyway: names come from /etc/hosts only.
  return {
    hosts: `${lines.join('\n')}\n`,
    hostname: `${machine.id}\n`,
    'resolv.conf': 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n',
  };
}

export function addressesOf(machine: MachineSpec, nets: CreatedNetworks): Record<string, string> {
  const addresses: Record<string, string> = {};
  for (const nic of machine.nics) {
    const net = nets.networks[nic.network];
    if (!net) throw new Error(`machine ${machine.id} names unknown network ${nic.network}`);
    addresses[nic.network] = hostAddress(net.subnet, nic.host);
  }
  return addresses;
}

/** Where machines are made: the engine, the namespace, each machine's limits and its disk. */
export interface MachineHost {
  docker: Docker;
  namespace: string;
  limits: MachineLimits;
  disk: DiskLimit;
}

/** One machine of a deployment, on its slot's networks. */
export interface MachineToCreate {
  deploymentId: string;
  machine: MachineSpec;
  topology: Topology;
  nets: CreatedNetworks;
  /** The container's name, unique among the lab's: a reset's fresh machine is made beside the old one. */
  name?: string;
  clock?: PhaseClock;
}

/** Creates, wires and starts one machine with least privilege. */
export async function createMachine(host: MachineHost, spec: MachineToCreate): Promise<LabMachine> {
  const machine = await prepareMachine(host, spec);
  await startPrepared(host.docker, machine, spec.clock);
  return machine;
}

/**
 * Creates and wires one machine with least privilege, not started. Docker takes its fixed
 * addresses only at the start, so a reset prepares the fresh machines while the old ones still
 * hold those addresses.
 */
export async function prepareMachine(
  { docker, namespace, limits, disk }: MachineHost,
  { deploymentId: session, machine, topology, nets, name: given, clock = untimed }: MachineToCreate,
): Promise<LabMachine> {
  const addresses = addressesOf(machine, nets);
  const [first, ...rest] = machine.nics;
  if (!first) throw new Error(`machine ${machine.id} has no network`);
  const endpoint = (nic: { network: string }): Docker.EndpointSettings =>
    endpointFor(machine.id, addresses[nic.network]);
  const memory = limits.memoryMb * 1024 * 1024;
  const extraHosts = hostsFor(machine, topology, nets);
  const name = given ?? resourceName(namespace, session, machine.id);
  const container = await disk.createContainer(
    docker,
    {
      name,
      Image: `${limits.imagePrefix}/${machine.image}`,
      Hostname: machine.id,
      Labels: { [LABEL.namespace]: namespace, [LABEL.session]: session, [LABEL.machine]: machine.id },
      Tty: false,
      OpenStdin: false,
      HostConfig: {
        CapDrop: ['ALL'],
        CapAdd: machine.capAdd,
        SecurityOpt: ['no-new-privileges'],
        Privileged: false,
        Memory: memory,
        // Swap equal to memory: a learner's fork bomb hits the limit instead of the host's swap.
        MemorySwap: memory,
        PidsLimit: limits.pidsLimit,
        NanoCpus: Math.round(limits.cpus * 1e9),
        LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
        Mounts: [terminalMount(namespace, session, machine.id)],
        NetworkMode: nets.networks[first.network]?.name ?? '',
        ExtraHosts: extraHosts,
        RestartPolicy: { Name: 'no' },
      },
      NetworkingConfig: { EndpointsConfig: { [nets.networks[first.network]?.name ?? '']: endpoint(first) } },
    },
    machineFiles(machine, extraHosts, addresses),
    clock,
  );
  // API 1.41 takes one network at create time; the rest are attached before start, in order.
  await clock('connect', async () => {
    for (const nic of rest) {
      const net = nets.networks[nic.network];
      if (!net) continue;
      await docker.getNetwork(net.name).connect({ Container: container.id, EndpointConfig: endpoint(nic) });
    }
  });
  await clock('layer', () => disk.beforeStart(container.id, name));
  return { id: machine.id, label: machine.label, hostname: machine.id, addresses, ref: container.id };
}

/** Starts a prepared machine (its boot is waited for apart). */
export async function startPrepared(docker: Docker, machine: LabMachine, clock: PhaseClock = untimed): Promise<void> {
  await clock('start', () => docker.getContainer(machine.ref).start());
}
