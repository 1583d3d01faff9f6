import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HostInterfaceNames } from '../../../server/journal/hostInterfaceNames';

/** What sysfs says now, read the plain way. */
function sysfsByIndex(): Map<number, string> {
  const byIndex = new Map<number, string>();
  for (const name of readdirSync('/sys/class/net')) {
    try {
      byIndex.set(Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8')), name);
    } catch {
      // Gone meanwhile (other suites' labs come and go).
    }
  }
  return byIndex;
}

describe("host interface names by index (a machine's bridge ports)", () => {
  it('names the interfaces asked for, and only those', { timeout: 120_000 }, async () => {
    const names = new HostInterfaceNames();
    const loopback = Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8'));
    expect(await names.find(new Set([loopback]))).toEqual(new Map([[loopback, 'lo']]));
    expect(await names.find(new Set([2 ** 31 - 1]))).toEqual(new Map());
  });

  // A loaded host with hundreds of interfaces reads them slowly the first time.
  it('answers from what it kept as sysfs does when read afresh', { timeout: 120_000 }, async () => {
    const names = new HostInterfaceNames();
    const first = sysfsByIndex();
    await names.find(new Set(first.keys()));
    // Other suites' interfaces may come and go between the reads: compare those both saw.
    const again = await names.find(new Set(first.keys()));
    const now = sysfsByIndex();
    const stable = [...first].filter(([index, name]) => now.get(index) === name);
    expect(stable.length).toBeGreaterThan(0);
    for (const [index, name] of stable) expect(again.get(index)).toBe(name);
  });
});
