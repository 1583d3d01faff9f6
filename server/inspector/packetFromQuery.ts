/** Turns the form's "from Machine 2 / office-pc / an address" into concrete packets and trace matches. */
import { networkContains, parseIpv4, type Packet } from '../../labkit/rules';
import type { LabDeployment, LabMachine } from '../runtime/LabRuntime';
import { INSPECTED_MACHINE, type TraceFilter, type WhatIfQuery } from './inspectorProtocol';
import type { TraceMatch } from './traceTable';

export class QueryError extends Error {}

function target(deployment: LabDeployment): LabMachine {
  const m = deployment.machines.find((x) => x.id === INSPECTED_MACHINE);
  if (!m) throw new QueryError('this lab has no Machine 1');
  return m;
}

/** The source address and, when it is a lab machine, the network it shares with Machine 1. */
function source(deployment: LabDeployment, from: string): { address: string; network?: string; label: string } {
  const m1 = target(deployment);
  const machine = deployment.machines.find((x) => x.id === from);
  if (machine) {
    const network = Object.keys(machine.addresses).find((n) => m1.addresses[n] !== undefined);
    const address = network ? machine.addresses[network] : undefined;
    if (!network || !address) throw new QueryError(`${machine.label} shares no network with Machine 1`);
    return { address, network, label: machine.label };
  }
  if (parseIpv4(from) === undefined)
    throw new QueryError(`"${from}" is neither a machine of this lab nor an IPv4 address`);
  const network = deployment.networks.find((n) => networkContains(n.subnet, from))?.id;
  return network ? { address: from, network, label: from } : { address: from, label: from };
}

export function resolveWhatIf(deployment: LabDeployment, interfaces: Map<string, string>, query: WhatIfQuery): Packet {
  const m1 = target(deployment);
  const src = source(deployment, query.from);
  const addresses = Object.values(m1.addresses);
  const dst = addresses.includes(query.to)
    ? query.to
    : ((src.network ? m1.addresses[src.network] : undefined) ?? addresses[0]);
  if (!dst) throw new QueryError('Machine 1 has no address');
  const packet: Packet = { protocol: query.protocol, src: src.address, dst, state: query.state };
  const iface = interfaces.get(dst);
  if (iface) packet.inInterface = iface;
  if (query.protocol === 'icmp') packet.icmpType = query.state === 'NEW' ? 8 : 0;
  else if (query.port !== undefined) packet.dport = query.port;
  return packet;
}

export function traceMatch(deployment: LabDeployment, filter: TraceFilter): { match: TraceMatch; description: string } {
  const m1 = target(deployment);
  const match: TraceMatch = { to: Object.values(m1.addresses) };
  const src = filter.from === undefined || filter.from === '' ? undefined : source(deployment, filter.from);
  if (src) match.from = src.address;
  if (filter.protocol) match.protocol = filter.protocol;
  if (filter.port !== undefined && filter.protocol !== 'icmp') match.port = filter.port;
  const what =
    filter.protocol === 'icmp'
      ? 'ping (ICMP)'
      : filter.protocol
        ? `${filter.protocol.toUpperCase()}${match.port === undefined ? '' : ` ${match.port}`}`
        : 'packets';
  const description = `${what} from ${src ? `${src.label}${src.label === src.address ? '' : ` (${src.address})`}` : 'anywhere'} to Machine 1, next ${filter.packets} packet${filter.packets === 1 ? '' : 's'}`;
  return { match, description };
}
