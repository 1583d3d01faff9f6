import { describe, expect, it } from 'vitest';
import { traceSubscribers, waitForSubscriber } from '../../../server/inspector/traceSubscribers';

/** /proc/net/netlink in a namespace where `xtables-monitor --trace` listens (read on this host). */
const WITH_MONITOR = `sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
000000000854af6d 0   0          00000000 0        0        0     2        0        18189205
000000009684ddd1 12  3586       00000000 0        0        0     2        0        18189218
000000007ad2bc06 12  2156624643 00000100 0        0        0     2        0        18189219
00000000aa61cc10 10  0          00000100 0        0        0     2        0        18189209
`;
const WITHOUT = WITH_MONITOR.split('\n')
  .filter((line) => !line.includes('2156624643'))
  .join('\n');

describe('whether a packet trace monitor listens', () => {
  it('counts only netfilter sockets in the trace group', () => {
    expect(traceSubscribers(WITH_MONITOR)).toEqual(new Set(['18189219']));
    expect(traceSubscribers(WITHOUT)).toEqual(new Set());
    expect(traceSubscribers('')).toEqual(new Set());
  });

  it('waits for a subscriber that was not there before, and gives up when abandoned or out of time', async () => {
    const none = new Set<string>();
    const listings = [WITHOUT, WITHOUT, WITH_MONITOR];
    const read = () => Promise.resolve(listings.shift() ?? WITH_MONITOR);
    expect(await waitForSubscriber({ read, before: none, timeoutMs: 5_000, abandoned: () => false })).toBe(true);
    const same = () => Promise.resolve(WITH_MONITOR);
    const known = new Set(['18189219']);
    expect(await waitForSubscriber({ read: same, before: known, timeoutMs: 100, abandoned: () => false })).toBe(false);
    expect(await waitForSubscriber({ read: same, before: none, timeoutMs: 5_000, abandoned: () => true })).toBe(false);
    // Another monitor that ended meanwhile does not hide the new one.
    const swapped = () => Promise.resolve(WITH_MONITOR.replace('18189219', '18189300'));
    expect(await waitForSubscriber({ read: swapped, before: known, timeoutMs: 5_000, abandoned: () => false })).toBe(
      true,
    );
  });
});
