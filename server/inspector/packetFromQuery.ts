/** Turns the form's "from a machine of the lab / an address" into concrete packets and trace matches. */
import { networkContains, parseIpv4, type Packet } from '../../labkit/rules';
import type { LabDeployment, LabMachine } from '../runtime/LabRuntime';
import type { TraceFilter, WhatIfQuery } from '../../protocol/inspector';
import type { TraceMatch } from './traceTable';

export class QueryError extends Error {}

function target(deployment: LabDeployment, machineId: string): LabMachine {
  const m = deployment.machines.find((x) => x.id === machineId);
  if (!m) throw new QueryError(`this lab has no machine "${machineId}"`);
  return m;
}

/** The source address and, when it is a lab machine, the network it shares with the inspected one. */
function source(
  deployment: LabDeployment,
  m1: LabMachine,
  from: string,
): { address: string; network?: string; label: string } {
  const machine = deployment.machines.find((x) => x.id === from);
  if (machine) {
    const network = Object.keys(machine.addresses).find((n) => m1.addresses[n] !== undefined);
    const address = network ? machine.addresses[network] : undefined;
    if (!network || !address) throw new QueryError(`${machine.label} shares no network with ${m1.label}`);
    return { address, network, label: machine.label };
  }
  if (parseIpv4(from) === undefined)
    throw new QueryError(`"${from}" is neither a machine of this lab nor an IPv4 address`);
  const network = deployment.networks.find((n) => networkContains(n.subnet, from))?.id;
  return network ? { address: from, network, label: from } : { address: from, label: from };
}

export function resolveWhatIf(
  deployment: LabDeployment,
  machineId: string,
  interfaces: Map<string, string>,
  query: WhatIfQuery,
): Packet {
  const m1 = target(deployment, machineId);
  const src = source(deployment, m1, query.from);
  const addresses = Object.values(m1.addresses);
  const dst = addresses.includes(query.to)
    ? query.to
    : ((src.network ? m1.addresses[src.network] : undefined) ?? addresses[0]);
  if (!dst) throw new QueryError(`${m1.label} has no address`);
  const packet: Packet = { protocol: query.protocol, src: src.address, dst, state: query.state };
  const iface = interfaces.get(dst);
  if (iface) packet.inInterface = iface;
  if (query.protocol === 'icmp') packet.icmpType = query.state === 'NEW' ? 8 : 0;
  else if (query.port !== undefined) packet.dport = query.port;
  return packet;
}

export function traceMatch(
  deployment: LabDeployment,
  machineId: string,
  filter: TraceFilter,
): { match: TraceMatch; description: string } {
  const m1 = target(deployment, machineId);
  const match: TraceMatch = { to: Object.values(m1.addresses) };
  const src = filter.from === undefined || filter.from === '' ? undefined : source(deployment, m1, filter.from);
  if (src) match.from = src.address;
  if (filter.protocol) match.protocol = filter.protocol;
  if (filter.port !== undefined && filter.protocol !== 'icmp') match.port = filter.port;
  const what =
    filter.protocol === 'icmp'
      ? 'ping (ICMP)'
      : filter.protocol
        ? `${filter.protocol.toUpperCase()}${match.port === undefined ? '' : ` ${match.port}`}`
        : 'packets';
  const description = `${what} from ${src ? `${src.label}${src.label === src.address ? '' : ` (${src.address})`}` : 'anywhere'} to ${m1.label}, next ${filter.packets} packet${filter.packets === 1 ? '' : 's'}`;
  return { match, description };
}
