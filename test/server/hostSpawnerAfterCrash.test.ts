import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RestartableServer } from '../support/restartableServer';
import { machinePid } from '../support/traceHelpers';
import { until } from '../support/until';
import { api, guestCookie } from './support/testServer';

const server = new RestartableServer('spawner');

/** The host spawner processes of the server with this namespace (they inherit its environment). */
function spawnersOf(namespace: string): number {
  let count = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('hostSpawnerMain')) continue;
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`LAB_INSTANCE=${namespace}`)) count++;
    } catch {
      // The process ended meanwhile.
    }
  }
  return count;
}

/** The parent of a host process, from its /proc stat (the field after the command's closing parenthesis). */
function parentOf(pid: string): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '';
}

/** The journal's rule monitors (`nft monitor`) in that process's network namespace, and how many the host spawner runs. */
function monitorsIn(machinePid: number): { all: number; bySpawner: number } {
  const netns = readlinkSync(`/proc/${machinePid}/ns/net`);
  const found = { all: 0, bySpawner: 0 };
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8') !== 'nft\0monitor\0') continue;
      if (readlinkSync(`/proc/${pid}/ns/net`) !== netns) continue;
      found.all++;
      if (readFileSync(`/proc/${parentOf(pid)}/cmdline`, 'utf8').includes('hostSpawnerMain')) found.bySpawner++;
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}

describe("the server's host spawner", () => {
  afterAll(() => server.dispose(), 300_000);

  it("runs once a lab is read from the host, runs the journal's rule monitor too, and dies with a server killed with SIGKILL, the monitor with it", async () => {
    const base = await server.start();
    const namespace = server.env.LAB_INSTANCE ?? '';
    const cookie = await guestCookie(base);
    const res = await api(base, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie });
    expect(res.status).toBe(201);
    // The journal reads the new lab's rulesets and files from the host, through the spawner.
    await until(() => spawnersOf(namespace) === 1 || undefined, 120_000);
    // Machine 1 has graded files: its rule monitor runs in its namespace, spawned by the spawner.
    const machine1 = await machinePid(namespace, 'machine1');
    await until(() => monitorsIn(machine1).all === 1 || undefined, 120_000);
    expect(monitorsIn(machine1)).toEqual({ all: 1, bySpawner: 1 });

    await server.stop('SIGKILL');
    await until(() => (spawnersOf(namespace) === 0 && monitorsIn(machine1).all === 0) || undefined, 120_000);
    expect(spawnersOf(namespace)).toBe(0);
    expect(monitorsIn(machine1).all).toBe(0);
    // A lab start on a loaded host: minutes.
  }, 300_000);
});
