import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeEveryLab } from '../support/removeEveryLab';
import { freePort } from './support/reverseProxy';
import { api, wsUrl } from './support/testServer';
import { LabLearner, typeCommand } from './support/labLearner';
import { TerminalClient } from './support/terminalClient';
import { testNamespace } from '../support/testNamespace';

/**
 * `npm start`, Ctrl+C, `npm start` again, typed into a real terminal (tmux): the engine that
 * start.sh started outlives the Ctrl+C, and the learner finds the same lab and the same shell.
 *
 * The host's own dockerd must keep running for everyone else, so start.sh finds no engine on
 * DOCKER_HOST and starts the `dockerd` first on PATH: a stand-in that passes the Docker API
 * through to the real engine and, like dockerd, stops on SIGINT (test/support/dockerd-stand-in).
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-startstop-'));
const realSocket = process.env.DOCKER_SOCKET ?? '/var/run/docker.sock';
const tmuxSocket = `ipl-startstop-${process.pid}`;
const pane = path.join(dir, 'pane.log');
const standInState = path.join(dir, 'stand-in.state');
const labEnv = { LAB_INSTANCE: testNamespace('tss'), DATA_DIR: path.join(dir, 'data') };

const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', tmuxSocket, ...args], { encoding: 'utf8' });
const paneText = (): string => {
  try {
    return readFileSync(pane, 'utf8');
  } catch {
    return '';
  }
};
const count = (pattern: RegExp): number => paneText().match(new RegExp(pattern.source, 'g'))?.length ?? 0;
const standInPids = (): number[] =>
  [...readFileSync(standInState, { encoding: 'utf8', flag: 'a+' }).matchAll(/^pid (\d+)$/gm)].map((m) => Number(m[1]));
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntil(ready: () => boolean, timeoutMs: number, what: string): Promise<void> {
  for (const end = Date.now() + timeoutMs; !ready(); await new Promise((resolve) => setTimeout(resolve, 100)))
    if (Date.now() > end)
      throw new Error(`waited ${timeoutMs} ms for ${what}; the terminal shows:\n${paneText().slice(-2000)}`);
}

/** Types `npm start` at the terminal's prompt and waits for the `n`th "serving on" line. */
async function npmStart(n: number): Promise<string> {
  tmux('send-keys', '-t', 'term', 'npm start', 'Enter');
  await waitUntil(() => count(/serving on http:\/\/\S+/) >= n, 240_000, 'the server to serve');
  return [...paneText().matchAll(/serving on (http:\/\/[^\s"\x1b]+)/g)].map((m) => m[1] ?? '')[n - 1] ?? '';
}

async function ctrlC(): Promise<void> {
  const stops = count(/shutting down/);
  tmux('send-keys', '-t', 'term', 'C-c');
  await waitUntil(() => count(/shutting down/) > stops, 30_000, 'the server to stop');
  await waitUntil(() => /\$ $/.test(paneText().trimEnd() + ' '), 30_000, 'the prompt');
}

async function attach(base: string, cookie: string, terminalUrl: string): Promise<TerminalClient> {
  const term = TerminalClient.connect(wsUrl(base, terminalUrl), { cookie, origin: base });
  await term.opened;
  term.hello(120, 40);
  await waitUntil(() => term.ready !== undefined, 15_000, 'the terminal');
  return term;
}

describe('npm start, Ctrl+C, npm start in one terminal', () => {
  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    for (const pid of standInPids()) if (alive(pid)) process.kill(pid, 'SIGTERM');
    await removeEveryLab({ ...labEnv, DOCKER_SOCKET: realSocket });
  });

  it('keeps the engine, the lab and its shell', { timeout: 420_000 }, async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      ...labEnv,
      PATH: `${path.resolve('test/support/dockerd-stand-in')}:${process.env.PATH ?? ''}`,
      DOCKER_HOST: `unix://${path.join(dir, 'docker.sock')}`,
      DOCKER_SOCKET: path.join(dir, 'docker.sock'),
      REAL_DOCKER_SOCKET: realSocket,
      STAND_IN_STATE: standInState,
      DOCKERD_LOG: path.join(dir, 'dockerd.log'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LAB_WARM_POOL: '0',
      LAB_SPARE_NETWORKS: '0',
      LAB_ROSTER_WARM_MINUTES: '0',
      PS1: '$ ',
    };
    // The shell gets exactly this environment; nothing may run the host's real dockerd.
    const shell = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'bash', '--norc', '--noprofile'];
    tmux('new-session', '-d', '-s', 'term', '-x', '160', '-y', '48', ...shell);
    tmux('pipe-pane', '-t', 'term', '-o', `cat >> ${pane}`);
    tmux('send-keys', '-t', 'term', 'command -v dockerd', 'Enter');
    await waitUntil(() => /dockerd-stand-in\/dockerd/.test(paneText()), 15_000, 'the stand-in on PATH');

    let base = await npmStart(1);
    expect(paneText()).toMatch(/Starting dockerd in a session of its own, .*\(log: .*dockerd\.log\)/);
    const [engine] = standInPids();
    if (engine === undefined) throw new Error('start.sh started no dockerd');
    const learner = await LabLearner.start(base);
    const term = await learner.terminal('machine1');
    await typeCommand(term, 'MARK="shell-$$-$RANDOM"; echo "mark=$MARK"');
    const mark = /mark=(shell-\d+-\d+)/.exec(term.text)?.[1];
    term.close();

    await ctrlC();
    expect(alive(engine)).toBe(true);
    expect(readFileSync(standInState, 'utf8')).not.toMatch(/signal/);

    base = await npmStart(2);
    // The second start found the engine running: it started none.
    expect(standInPids()).toEqual([engine]);
    expect(count(/Starting dockerd/)).toBe(1);
    const again = await api(base, `/api/sessions/${learner.session.id}`, { cookie: learner.cookie });
    expect(again).toMatchObject({ status: 200, json: { status: 'ready' } });
    const terminalUrl = learner.session.machines.find((m) => m.id === 'machine1')?.terminalUrl ?? '';
    const back = await attach(base, learner.cookie, terminalUrl);
    const from = back.position;
    back.input('echo "again=$MARK"\r');
    await back.waitFor(new RegExp(`again=${mark ?? 'no mark'}`), 120_000, from);
    back.close();
    await ctrlC();
  });
});
