import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RestartableServer } from '../support/restartableServer';
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

describe("the server's host spawner", () => {
  afterAll(() => server.dispose(), 300_000);

  it('runs once a lab is read from the host, and dies with a server killed with SIGKILL', async () => {
    const base = await server.start();
    const namespace = server.env.LAB_INSTANCE ?? '';
    const cookie = await guestCookie(base);
    const res = await api(base, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie });
    expect(res.status).toBe(201);
    // The journal reads the new lab's rulesets and files from the host, through the spawner.
    await until(() => spawnersOf(namespace) === 1 || undefined, 120_000);

    await server.stop('SIGKILL');
    await until(() => spawnersOf(namespace) === 0 || undefined, 120_000);
    expect(spawnersOf(namespace)).toBe(0);
    // A lab start on a loaded host: minutes.
  }, 300_000);
});
