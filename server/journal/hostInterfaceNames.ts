import { readdir, readFile } from 'node:fs/promises';

const SYS_NET = '/sys/class/net';

async function indexOf(name: string): Promise<number | undefined> {
  try {
    return Number(await readFile(`${SYS_NET}/${name}/ifindex`, 'utf8'));
  } catch {
    return undefined; // Gone meanwhile.
  }
}

/**
 * Host interface names by index, from the host's own sysfs. The index of every name is kept
 * between calls and only names new since the last call are read: reading all of them each time
 * (seven interfaces per lab, on a host with a hundred labs) held the server's loop at every lab
 * start. A name matched is read again, so an interface removed and made again under the same
 * name is never taken for its predecessor.
 */
export class HostInterfaceNames {
  private readonly indexes = new Map<string, number>();

  async find(wanted: ReadonlySet<number>): Promise<Map<number, string>> {
    const found = await this.lookUp(wanted);
    const stale = await this.stale(found);
    if (stale.length === 0) return found;
    for (const name of stale) this.indexes.delete(name);
    return this.lookUp(wanted);
  }

  private async lookUp(wanted: ReadonlySet<number>): Promise<Map<number, string>> {
    const names = new Set(await readdir(SYS_NET));
    for (const name of this.indexes.keys()) if (!names.has(name)) this.indexes.delete(name);
    const fresh = [...names].filter((name) => !this.indexes.has(name));
    const read = await Promise.all(fresh.map(async (name) => [name, await indexOf(name)] as const));
    for (const [name, index] of read) if (index !== undefined) this.indexes.set(name, index);
    const byIndex = new Map<number, string>();
    for (const [name, index] of this.indexes) if (wanted.has(index)) byIndex.set(index, name);
    return byIndex;
  }

  /** Names whose index is no longer the one kept. */
  private async stale(found: Map<number, string>): Promise<string[]> {
    const checked = await Promise.all(
      [...found].map(async ([index, name]) => ((await indexOf(name)) === index ? [] : [name])),
    );
    return checked.flat();
  }
}
