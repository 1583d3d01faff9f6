import type Docker from 'dockerode';
import { lastHostAddress, pickFreeSlot, subnetsForSlot, type PoolConfig } from '../addressPool';
import { PoolExhaustedError } from '../PoolExhaustedError';
import { LABEL, resourceName } from './labels';

export interface CreatedNetworks {
  slot: number;
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
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new Error(`bad subnet ${subnet}`);
  return `ipl${octets.map((o) => o.toString(16).padStart(2, '0')).join('')}`;
}

/** The bridge of an existing network; Docker's default name for networks made before the option was set. */
export function bridgeOf(network: { Id: string; Options?: Record<string, string> }): string {
  return network.Options?.[BRIDGE_NAME_OPTION] ?? `br-${network.Id.slice(0, 12)}`;
}

/** Slots being claimed by this process right now, so parallel creates don't race each other. */
const claiming = new Set<number>();

async function subnetsInUse(docker: Docker): Promise<string[]> {
  const networks = await docker.listNetworks();
  return networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => Boolean(s)));
}

function isOverlapError(error: unknown): boolean {
  return error instanceof Error && /overlap|already exists|conflict/i.test(error.message);
}

/**
 * Creates the lab's private segments: internal bridges with inhibit_ipv4, so the host has no
 * address or route there. The gateway is parked on .254 because IPAM reserves it, and the
 * chapter wants .1 for Machine 1.
 */
export async function createLabNetworks(
  docker: Docker,
  instance: string,
  session: string,
  networkIds: string[],
  pool: PoolConfig,
  preferredSlot?: number,
): Promise<CreatedNetworks> {
  const tried = new Set<number>();
  for (let attempt = 0; attempt < 20; attempt++) {
    const inUse = await subnetsInUse(docker);
    const skip = new Set([...tried, ...claiming]);
    const preferred = preferredSlot !== undefined && attempt === 0 && !skip.has(preferredSlot) ? pickFreeSlot({ ...pool, firstSlot: preferredSlot, lastSlot: preferredSlot }, inUse) : null;
    const slot = preferred ?? pickFreeSlot(pool, inUse, skip);
    if (slot === null) throw new PoolExhaustedError();
    tried.add(slot);
    claiming.add(slot);
    try {
      const subnets = subnetsForSlot(pool, slot);
      const created: CreatedNetworks = { slot, networks: {} };
      try {
        await Promise.all(
          networkIds.map(async (id) => {
            const subnet = subnets[id];
            if (subnet === undefined) throw new Error(`no address pool template for network "${id}"`);
            const name = resourceName(instance, session, id);
            const bridge = bridgeNameFor(subnet);
            await docker.createNetwork({
              Name: name,
              Driver: 'bridge',
              Internal: true,
              CheckDuplicate: true,
              Options: { 'com.docker.network.bridge.inhibit_ipv4': 'true', [BRIDGE_NAME_OPTION]: bridge },
              IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: lastHostAddress(subnet) }] },
              Labels: { [LABEL.instance]: instance, [LABEL.session]: session, [LABEL.network]: id, [LABEL.slot]: String(slot) },
            });
            created.networks[id] = { name, subnet, bridge };
          }),
        );
        return created;
      } catch (error) {
        // Another process may have taken this slot between listing and creating: undo, try the next.
        await Promise.all(Object.values(created.networks).map((n) => docker.getNetwork(n.name).remove().catch(() => undefined)));
        if (!isOverlapError(error)) throw error;
      }
    } finally {
      claiming.delete(slot);
    }
  }
  throw new Error('Could not claim a lab address slot after 20 attempts');
}
