import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RestartableServer } from '../support/restartableServer';

// Spare machine disks are host resources no learner holds: a server killed with SIGKILL cannot
// remove them, so its next start must, before it makes any of its own.
const SPARES = 3;
const server = new RestartableServer('sparekill', {
  // A warm lab is made at start, so the server formats its first disk and then its spares.
  LAB_WARM_POOL: '1',
  LAB_SPARE_DISKS: String(SPARES),
  LAB_DISK_MB: '64',
});
const spareFolder = path.join(server.env.DATA_DIR ?? '', 'disks', 'spares');
const spareFiles = (): string[] =>
  existsSync(spareFolder) ? readdirSync(spareFolder).filter((f) => f.startsWith(`${server.env.LAB_INSTANCE}.`)) : [];

async function waitFor(what: string, done: () => boolean, timeoutMs = 180_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !done(); await new Promise((r) => setTimeout(r, 200)))
    if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${what}; the server said:\n${server.output()}`);
}

describe('spare machine disks of a server killed with SIGKILL', () => {
  afterAll(() => server.dispose());

  it('are removed when it starts again; the spares it makes then are new ones, within the bound', async () => {
    await server.start();
    await waitFor(`${SPARES} spare disks`, () => spareFiles().length === SPARES);
    const before = spareFiles();

    await server.restart('SIGKILL');
    await waitFor('the old spares to go', () => before.every((f) => !spareFiles().includes(f)));
    // The restarted server's warm lab makes it format spares again: fresh files, never the old ones.
    await waitFor(`${SPARES} new spare disks`, () => spareFiles().length === SPARES);
    expect(spareFiles().filter((f) => before.includes(f))).toEqual([]);
  }, 420_000);

  it('are removed by a deliberate stop (SIGTERM)', async () => {
    await waitFor(`${SPARES} spare disks`, () => spareFiles().length === SPARES);
    await server.stop('SIGTERM');
    expect(spareFiles(), server.output()).toEqual([]);
  }, 240_000);
});
