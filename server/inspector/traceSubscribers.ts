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

/** Sockets subscribed to packet traces in a /proc/net/netlink listing. */
export function traceSubscribers(netlink: string): number {
  let count = 0;
  for (const line of netlink.split('\n').slice(1)) {
    const [, eth, , groups] = line.trim().split(/\s+/);
    if (Number(eth) === NETFILTER_PROTOCOL && (Number.parseInt(groups ?? '0', 16) & NFTRACE_BIT) !== 0) count++;
  }
  return count;
}

export interface SubscriberWait {
  /** /proc/net/netlink as read inside the machine's network namespace. */
  read: () => Promise<string>;
  /** Subscribers before the monitor started (a learner may run a monitor of their own). */
  before: number;
  timeoutMs: number;
  /** True once the wait should end anyway (the trace was stopped). */
  abandoned: () => boolean;
}

const POLL_MS = 100;

/** Resolves true once there is one subscriber more than `before`; false after the timeout or when abandoned. */
export async function waitForSubscriber({ read, before, timeoutMs, abandoned }: SubscriberWait): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!abandoned()) {
    if (traceSubscribers(await read()) > before) return true;
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
