/**
 * A real reverse proxy (Debian's Caddy or nginx) in front of a test server, reached at this
 * machine's own non-loopback address, so requests arrive from "outside" as a class's would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { TerminalClient } from './terminalClient';

/** An address of this machine that is not loopback: requests to it arrive at the proxy from "outside". */
export function outsideAddress(): string {
  for (const addresses of Object.values(os.networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  throw new Error('this machine has no non-loopback IPv4 address to test from');
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export const cookieOf = (res: Response): string => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

export interface RunningProxy {
  /** Its private folder, for config files, pid and logs. */
  dir: string;
  log(): string;
  stop(): void;
}

/** A folder of the proxy's own: its config, pid file and temporary files live there. */
export const proxyDir = (name: string): string => mkdtempSync(path.join(os.tmpdir(), `ipl-${name}-`));

/** Starts the proxy's command and waits until `healthUrl` answers 200 through it. */
export async function startProxy(
  dir: string,
  command: string,
  args: readonly string[],
  healthUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningProxy> {
  const child: ChildProcess = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  for (
    let tries = 0;
    (await fetch(healthUrl).then(
      (r) => r.status,
      () => 0,
    )) !== 200;
    tries++
  ) {
    if (tries > 120 || child.exitCode !== null) throw new Error(`${command} did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { dir, log: () => log, stop: () => child.kill('SIGTERM') };
}

/**
 * A learner (their cookie) starts the first lab through the proxy and runs `echo "<word>-$((6*7))"`
 * in its first machine's terminal, over the proxy's WebSocket, until `<word>-42` comes back.
 * `headers` go with every request, the upgrade included. Resolves with the terminal's path.
 */
export async function echoThroughProxy(
  base: string,
  cookie: string,
  word: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const started = await fetch(`${base}/api/labs/iptables-single-server/sessions`, {
    method: 'POST',
    headers: { cookie, origin: base, ...headers },
  });
  expect(started.status).toBe(201);
  const lab = (await started.json()) as { machines: { id: string; terminalUrl: string }[] };
  const terminalUrl = lab.machines[0]?.terminalUrl ?? '';
  const term = TerminalClient.connect(`${base.replace('http', 'ws')}${terminalUrl}`, { cookie, origin: base, headers });
  await term.opened;
  term.hello(100, 30);
  await term.waitFor(/\]# /, 20_000);
  term.input(`echo "${word}-$((6*7))"\r`);
  await term.waitFor(new RegExp(`${word}-42`), 15_000);
  term.ws.close();
  return terminalUrl;
}
