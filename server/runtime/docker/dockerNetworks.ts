import type Docker from 'dockerode';
import { lastHostAddress, type Slot } from '../addressPool';
import { ignoreMissing } from './ignoreMissing';
import { LABEL } from './labels';

/** A slot's networks as Docker has them. */
export interface CreatedNetworks {
  slot: Slot;
  /** network id -> { docker name, subnet, host bridge interface } */
  networks: Record<string, { name: string; subnet: string; bridge: string }>;
}

const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';

/**
 * The host interface of a lab network, named after its subnet (unique on the host, at most 15
 * characters), so the host firewall can name it before any machine is attached.
 */
export function bridgeNameFor(subnet: string): string {
  const octets = (subnet.split('/')[0] ?? '').split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
    throw new Error(`bad subnet ${subnet}`);
  return `ipl${octets.map((o) => o.toString(16).padStart(2, '0')).join('')}`;
}

/** The bridge of an existing network; Docker's default name for networks made before the option was set. */
export function bridgeOf(network: { Id: string; Options?: Record<string, string> }): string {
  return network.Options?.[BRIDGE_NAME_OPTION] ?? `br-${network.Id.slice(0, 12)}`;
}

function isOverlapError(error: unknown): boolean {
  return error instanceof Error && /overlap|already exists|conflict/i.test(error.message);
}

/** A slot's network set is named for the slot, not for a lab: labs come and go, the set may stay. */
export function slotNetworkName(namespace: string, slot: number, networkId: string): string {
  return `ipl-${namespace}-n${slot}-${networkId}`;
}

/**
 * Creates one slot's private segments: internal bridges with inhibit_ipv4, so the host has no
 * address or route there. The gateway is parked on the last address because IPAM reserves it,
 * and the chapter wants .1 for Machine 1. Undefined when another process took the subnets first.
 */
export async function createNetworkSet(
  docker: Docker,
  { namespace, slot }: { namespace: string; slot: Slot },
): Promise<CreatedNetworks | undefined> {
  const created: CreatedNetworks = { slot, networks: {} };
  try {
    // Every request answered before any is undone: one refused at once (another process has the
    // subnet) must not leave the others to finish after the clean-up, as strays no set owns.
    const answers = await Promise.allSettled(
      Object.entries(slot.subnets).map(async ([id, subnet]) => {
        const name = slotNetworkName(namespace, slot.n, id);
        const bridge = bridgeNameFor(subnet);
        await docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          Internal: true,
          CheckDuplicate: true,
          Options: { 'com.docker.network.bridge.inhibit_ipv4': 'true', [BRIDGE_NAME_OPTION]: bridge },
          IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: lastHostAddress(subnet) }] },
          Labels: {
            [LABEL.namespace]: namespace,
            [LABEL.network]: id,
            [LABEL.slot]: String(slot.n),
            [LABEL.slotNetwork]: 'true',
          },
        });
        created.networks[id] = { name, subnet, bridge };
      }),
    );
    for (const answer of answers) if (answer.status === 'rejected') throw answer.reason;
    return created;
  } catch (error) {
    await removeNetworkSet(docker, Object.values(created.networks));
    if (isOverlapError(error)) return undefined;
    throw error;
  }
}

/** Removes networks nothing is attached to any more; one already gone is fine. */
export async function removeNetworkSet(docker: Docker, networks: readonly { name: string }[]): Promise<void> {
  await Promise.all(networks.map((n) => docker.getNetwork(n.name).remove().catch(ignoreMissing)));
}
