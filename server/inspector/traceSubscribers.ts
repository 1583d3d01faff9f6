/**
 * Whether a trace monitor has subscribed yet. `xtables-monitor --trace` prints no "ready" line;
 * once it listens, the machine's network namespace has one more netfilter netlink socket in the
 * kernel's trace group (NFNLGRP_NFTRACE), as /proc/net/netlink read inside it shows. Packets
 * marked before that are traced by the kernel but reach nobody.
 */

/** NETLINK_NETFILTER, the `Eth` column. */
const NETFILTER_PROTOCOL = 12;
/** NFNLGRP_NFTRACE is group 9: bit 8 of the `Groups` column (the first 32 groups). */
const NFTRACE_BIT = 1 << (9 - 1);

/** Sockets (by inode) subscribed to packet traces in a /proc/net/netlink listing. */
export function traceSubscribers(netlink: string): Set<string> {
  const inodes = new Set<string>();
  for (const line of netlink.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [, eth, , groups] = fields;
    const inode = fields.at(-1);
    if (inode && Number(eth) === NETFILTER_PROTOCOL && (Number.parseInt(groups ?? '0', 16) & NFTRACE_BIT) !== 0)
      inodes.add(inode);
  }
  return inodes;
}

export interface SubscriberWait {
  /** /proc/net/netlink as read inside the machine's network namespace. */
  read: () => Promise<string>;
  /** Subscribers before the monitor started (another trace's, or a learner's own monitor). */
  before: ReadonlySet<string>;
  timeoutMs: number;
  /** True once the wait should end anyway (the trace was stopped). */
  abandoned: () => boolean;
}

const POLL_MS = 100;

/** Resolves true once a subscriber not in `before` listens; false after the timeout or when abandoned. */
export async function waitForSubscriber({ read, before, timeoutMs, abandoned }: SubscriberWait): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!abandoned()) {
    if ([...traceSubscribers(await read())].some((inode) => !before.has(inode))) return true;
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
