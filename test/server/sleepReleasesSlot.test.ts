import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import type { SessionView } from '../../protocol/sessionView';
import { bridgeNameFor } from '../../server/runtime/docker/dockerNetworks';
import { FIREWALL_TABLE } from '../../server/runtime/docker/hostFirewall';
import { LABEL } from '../../server/runtime/docker/labels';
import { RestartableServer } from '../support/restartableServer';
import { TerminalClient } from './support/terminalClient';
import { api, guestCookie, wsUrl } from './support/testServer';

// Two address slots on subnets of this test's own, so no other lab on the engine competes.
const server = new RestartableServer('slot', {
  // No free slot's networks kept ready, so a slot given up leaves nothing of it on the host (the
  // runtime contract covers sleep and wake with a spare kept).
  LAB_SPARE_NETWORKS: '0',
  LAB_POOL_FIRST: '31',
  LAB_POOL_LAST: '32',
  LAB_MAX_PER_HOST: '3',
  LAB_LAN_POOL: '10.97.{n}.0/24',
  LAB_OFFICE_POOL: '172.27.{n}.0/24',
});
const env = server.env;
const docker = new Docker({ socketPath: loadConfig({ ...process.env, ...env }).runtime.socketPath });
const LAB = '/api/labs/iptables-single-server/sessions';

/** Runs a command in a machine's shell; returns what it printed between the markers. */
async function run(
  base: string,
  cookie: string,
  session: SessionView,
  machine: string,
  command: string,
): Promise<string> {
  const url = session.machines.find((m) => m.id === machine)?.terminalUrl ?? '';
  const term = TerminalClient.connect(wsUrl(base, url), { cookie, origin: base });
  await term.opened;
  term.hello(120, 30);
  await term.waitFor(/\]# /, 120_000);
  const from = term.position;
  term.input(`echo "OUT:$(${command}):END"\r`);
  const match = (await term.waitFor(/OUT:([\w./ -]*):END/, 120_000, from)) as RegExpMatchArray;
  term.ws.close();
  return match[1] ?? '';
}

const address = (session: SessionView, machine: string, network: string): string =>
  session.machines.find((m) => m.id === machine)?.addresses[network] ?? '';

/** This test's lab networks on the engine, by name. */
async function networkNames(): Promise<string[]> {
  const networks = await docker.listNetworks({
    filters: JSON.stringify({ label: [`${LABEL.namespace}=${env.LAB_INSTANCE}`] }),
  });
  return networks.map((n) => n.Name).sort();
}

/** Whether the host firewall drops what the host would receive from the bridge of this lab network. */
function guarded(session: SessionView, network: string): boolean {
  const subnet = session.networks.find((n) => n.id === network)?.subnet ?? '';
  const set = execFileSync('nft', ['list', 'set', 'inet', FIREWALL_TABLE, 'lab_bridges'], { encoding: 'utf8' });
  return set.includes(`"${bridgeNameFor(subnet)}"`);
}

async function start(base: string, cookie: string): Promise<{ status: number; session: SessionView }> {
  const res = await api(base, LAB, { method: 'POST', cookie });
  return { status: res.status, session: res.json as SessionView };
}

describe('a sleeping lab gives up its address slot', () => {
  afterAll(() => server.dispose());

  it('another lab takes the slot; the sleeper wakes on another one with its files, or waits with a clear 503', async () => {
    let base = await server.start();
    const [ann, bob, cid] = await Promise.all([guestCookie(base), guestCookie(base), guestCookie(base)]);

    const a = (await start(base, ann)).session;
    expect(await run(base, ann, a, 'machine2', 'echo ann-file > /root/kept.txt; cat /root/kept.txt')).toBe('ann-file');
    const networksAwake = await networkNames();
    expect(networksAwake).toHaveLength(2);
    expect((await api(base, a.links.sleep, { method: 'POST', cookie: ann })).json).toMatchObject({
      status: 'sleeping',
    });
    expect(await networkNames()).toEqual([]);
    expect(guarded(a, 'lan')).toBe(false);

    // The freed slot goes to the next learner: the very addresses Ann had.
    const b = (await start(base, bob)).session;
    expect(b.machines.map((m) => m.addresses)).toEqual(a.machines.map((m) => m.addresses));
    const third = await start(base, cid);
    // A start that fails says how, rather than read links of an error.
    expect(third.status, JSON.stringify(third.session)).toBe(201);
    const c = third.session;

    // Both slots taken: Resume waits for room, saying so, and the lab stays asleep with its files.
    const refused = await api(base, a.links.wake, { method: 'POST', cookie: ann });
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({
      error: { code: 'capacity', message: expect.stringMatching(/files are kept/) as unknown },
    });
    expect((await api(base, a.links.self, { cookie: ann })).json).toMatchObject({ status: 'sleeping' });

    await api(base, c.links.end, { method: 'DELETE', cookie: cid });
    const woken = await api(base, a.links.wake, { method: 'POST', cookie: ann });
    expect(woken.status).toBe(200);
    const moved = woken.json as SessionView;
    expect(moved.status).toBe('ready');
    expect(moved.lastWake).toEqual({ addressesChanged: true, freshMachines: false });
    expect(guarded(moved, 'lan') && guarded(moved, 'office')).toBe(true);
    expect(address(moved, 'machine2', 'lan')).not.toBe(address(a, 'machine2', 'lan'));
    expect(await run(base, ann, moved, 'machine2', 'cat /root/kept.txt')).toBe('ann-file');
    // The machines live at their new addresses, and find each other by name there.
    expect(await run(base, ann, moved, 'machine1', 'ip -4 -o addr show eth0 | awk "{print \\$4}"')).toBe(
      `${address(moved, 'machine1', 'lan')}/24`,
    );
    expect(await run(base, ann, moved, 'machine2', 'getent hosts machine1 | cut -d" " -f1')).toBe(
      address(moved, 'machine1', 'lan'),
    );
    expect(await run(base, ann, moved, 'machine2', 'ping -c1 -W2 machine1 >/dev/null && echo reached')).toBe('reached');

    // Asleep again and the server killed: after the restart the lab still resumes, files intact.
    await api(base, a.links.sleep, { method: 'POST', cookie: ann });
    base = await server.restart('SIGKILL');
    const back = await api(base, a.links.wake, { method: 'POST', cookie: ann });
    expect(back).toMatchObject({ status: 200, json: { status: 'ready' } });
    expect(await run(base, ann, back.json as SessionView, 'machine2', 'cat /root/kept.txt')).toBe('ann-file');
    // Bob's lab, adopted awake, was never disturbed.
    expect(await run(base, bob, b, 'machine1', 'echo bob-ok')).toBe('bob-ok');
    await api(base, b.links.end, { method: 'DELETE', cookie: bob });
  }, 300_000);

  it('a sleeping lab whose machine was removed behind its back wakes on fresh machines and says their files were lost', async () => {
    const base = server.url;
    const dan = await guestCookie(base);
    const d = (await start(base, dan)).session;
    await run(base, dan, d, 'machine1', 'echo dan-file > /root/lost.txt');
    await api(base, d.links.sleep, { method: 'POST', cookie: dan });
    // The only stopped machine2 of this instance is Dan's.
    const [gone] = await docker.listContainers({
      all: true,
      filters: JSON.stringify({
        label: [`${LABEL.namespace}=${env.LAB_INSTANCE}`, `${LABEL.machine}=machine2`],
        status: ['exited'],
      }),
    });
    expect(gone).toBeDefined();
    await docker.getContainer(gone?.Id ?? '').remove({ force: true });

    const woken = await api(base, d.links.wake, { method: 'POST', cookie: dan });
    expect(woken).toMatchObject({ status: 200, json: { status: 'ready', lastWake: { freshMachines: true } } });
    const fresh = woken.json as SessionView;
    expect(await run(base, dan, fresh, 'machine1', 'cat /root/lost.txt 2>/dev/null || echo none')).toBe('none');
    expect(await run(base, dan, fresh, 'machine2', 'ping -c1 -W2 machine1 >/dev/null && echo reached')).toBe('reached');
  }, 180_000);
});
