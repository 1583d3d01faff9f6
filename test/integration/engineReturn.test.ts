import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import type { RuntimeEvent } from '../../server/runtime/LabRuntime';
import { FIREWALL_TABLE } from '../../server/runtime/docker/hostFirewall';
import { newSessionId, testRuntime } from '../support/labRuntime';

/**
 * The engine goes away and comes back under a running server. The host's real dockerd must keep
 * running for everyone else, so this runtime reaches it through a socket of the test's own, which
 * the test closes (every connection cut: the engine "died") and opens again.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-engine-'));
const socket = path.join(dir, 'docker.sock');
const realSocket = process.env.DOCKER_SOCKET ?? '/var/run/docker.sock';
const { runtime, namespace } = testRuntime('engret', { LAB_SPARE_NETWORKS: '1', DOCKER_SOCKET: socket });
const cleanup = testRuntime('engret').runtime;

let engine: Server | undefined;
const connections = new Set<Socket>();
async function engineUp(): Promise<void> {
  rmSync(socket, { force: true });
  engine = createServer((client) => {
    const real = connect(realSocket);
    connections.add(client).add(real);
    client.pipe(real).pipe(client);
    const drop = (): void => {
      client.destroy();
      real.destroy();
      connections.delete(client);
      connections.delete(real);
    };
    client.on('error', drop).on('close', drop);
    real.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => engine?.listen(socket, resolve));
}
async function engineDown(): Promise<void> {
  const closed = new Promise((resolve) => engine?.close(resolve));
  for (const c of connections) c.destroy();
  await closed;
  rmSync(socket, { force: true });
}

const guarded = (family: 'inet' | 'arp'): string =>
  execFileSync('nft', ['list', 'set', family, FIREWALL_TABLE, 'lab_bridges'], { encoding: 'utf8' });

async function instanceBridges(): Promise<string[]> {
  const networks = await cleanup.docker.listNetworks({
    filters: JSON.stringify({ label: [`iptables-lab.instance=${namespace}`] }),
  });
  return networks.map((n) => n.Options?.['com.docker.network.bridge.name'] ?? '').filter(Boolean);
}

async function eventually(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await ok()); await new Promise((r) => setTimeout(r, 200)))
    if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${what}`);
}

afterAll(async () => {
  if (!engine?.listening) await engineUp();
  for (const id of await runtime.list()) await runtime.destroy(id);
  await runtime.close();
  await engineDown();
  rmSync(dir, { recursive: true, force: true });
});

describe('an engine that comes back under a running server', () => {
  it('finds its spare slot networks guarded again, in both of the host firewall’s sets', async () => {
    await engineUp();
    const events: RuntimeEvent['type'][] = [];
    const unwatch = runtime.watch((event) => events.push(event.type));
    const deployment = await runtime.create(newSessionId(), chapterTopology);
    await runtime.destroy(deployment.deploymentId);
    // The ended lab's slot networks stay as the free spare.
    const spare = await instanceBridges();
    expect(spare).toHaveLength(2);

    await engineDown();
    await eventually('engine-down', () => events.includes('engine-down'));
    // While it was away the host firewall lost them (one set first, as seen after a real engine death).
    for (const bridge of spare)
      execFileSync('nft', ['delete', 'element', 'arp', FIREWALL_TABLE, 'lab_bridges', `{ "${bridge}" }`]);
    execFileSync('nft', ['delete', 'element', 'inet', FIREWALL_TABLE, 'lab_bridges', `{ "${spare[0] ?? ''}" }`]);

    await engineUp();
    await eventually('engine-up', () => events.includes('engine-up'));
    for (const bridge of spare) {
      expect(guarded('inet')).toContain(`"${bridge}"`);
      expect(guarded('arp')).toContain(`"${bridge}"`);
    }
    unwatch();
  });
});
