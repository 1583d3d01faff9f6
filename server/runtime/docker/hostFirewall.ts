import { hostCommand } from './hostCommand';

/**
 * Host nftables rules that keep lab bridges away from the host's own stack. A learner is root
 * in their machines and can forge any address or raw frame; Docker's internal networks only
 * filter forwarding, so without these the host answers ARP on a lab bridge and delivers
 * datagrams to its own sockets. One `inet` and one `arp` table (shared by every server on the
 * host) drop input from any interface in their `lab_bridges` set, at priority -300, before
 * anything else sees it. Lab machines still reach each other: bridged traffic never enters
 * the host's input hook.
 */
export const FIREWALL_TABLE = 'iptables_lab';
const FAMILIES = ['inet', 'arp'] as const;

async function nft(script: string): Promise<void> {
  try {
    await hostCommand('nft', ['-f', '-'], script);
  } catch (error) {
    throw new Error(
      `host firewall (needs root and nftables): ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Re-running it is harmless: the chain is rebuilt, the set and its elements stay. */
function tablesScript(): string {
  return FAMILIES.map((family) =>
    [
      `add table ${family} ${FIREWALL_TABLE}`,
      `add set ${family} ${FIREWALL_TABLE} lab_bridges { type ifname; }`,
      `add chain ${family} ${FIREWALL_TABLE} input { type filter hook input priority -300; policy accept; }`,
      `flush chain ${family} ${FIREWALL_TABLE} input`,
      `add rule ${family} ${FIREWALL_TABLE} input iifname @lab_bridges drop`,
    ].join('\n'),
  ).join('\n');
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

function elements(bridges: readonly string[]): string {
  for (const b of bridges)
    if (!IFNAME.test(b)) throw new Error(`host firewall: bad interface name ${JSON.stringify(b)}`);
  return `{ ${bridges.map((b) => `"${b}"`).join(', ')} }`;
}

export class HostFirewall {
  private tables: Promise<void> | undefined;

  /** Drops everything the host would receive from these bridges. Fails closed: callers must not start machines without it. */
  async protect(bridges: readonly string[]): Promise<void> {
    if (bridges.length === 0) return;
    this.tables ??= nft(tablesScript()).catch((error: unknown) => {
      this.tables = undefined;
      throw error;
    });
    await this.tables;
    await nft(FAMILIES.map((f) => `add element ${f} ${FIREWALL_TABLE} lab_bridges ${elements(bridges)}`).join('\n'));
  }

  /** Forgets bridges that are gone. Each element separately: one already missing must not keep the others. */
  async release(bridges: readonly string[]): Promise<void> {
    const lines = FAMILIES.flatMap((f) =>
      bridges.map((b) => `delete element ${f} ${FIREWALL_TABLE} lab_bridges ${elements([b])}`),
    );
    await Promise.all(lines.map((line) => nft(line).catch(() => undefined)));
  }
}
