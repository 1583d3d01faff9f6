import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradingEngine } from '../../server/grading/GradingEngine';
import type { LabDriver } from '../../server/grading/selfTest';
import type { Journal } from '../../server/journal/Journal';
import { engineCheck, singleServerDriver, type MachineShell } from '../support/labDriver';
import { learnerTerminal } from '../support/learnerTerminal';

/**
 * Step 11 ("the restart failed without COMMIT") is decided by the lab journal: the host records
 * the rules file as it was when it saw Machine 1's rules begin to change, so a restart that fails
 * for another reason does not count, and honest work passes with a busy host's reads lagging.
 */
let driver: LabDriver;
let engine: GradingEngine;
let journal: Journal;
let id = '';
let terminal: ReturnType<typeof learnerTerminal>;
let sh: MachineShell;
const burners: ChildProcess[] = [];

const RULES = '/etc/sysconfig/iptables';
const check = () => engineCheck(engine, driver, id, 'commit');

/** Restarts the firewall in Machine 1's terminal and waits for its verdict line. */
async function restart(): Promise<string> {
  const since = terminal.plain('machine1').length;
  await terminal.run('machine1', 'service iptables restart');
  await terminal.waitFor('machine1', /Applying iptables firewall rules:[^\n]*(\n[^\n]*)?(OK|FAILED)/, since);
  return terminal.plain('machine1').slice(since);
}

beforeAll(async () => {
  const started = await singleServerDriver('commit', { journal: true });
  ({ driver, engine, id, sh } = started);
  if (!started.journal) throw new Error('no journal');
  journal = started.journal;
  terminal = learnerTerminal(driver);
  // A learner reaches step 11 long after the lab started; here, wait until the host watches
  // Machine 1's rules (its monitor starts beside the lab): a restart it saw begin is recorded.
  const watched = () =>
    journal.events(id).some((e) => e.kind === 'ruleset' && e.machineId === 'machine1' && e.changedAt !== undefined);
  for (let i = 0; i < 30 && !watched(); i++) {
    await sh('machine1', 'service iptables restart');
    await new Promise((r) => setTimeout(r, 2_000));
  }
  expect(watched()).toBe(true);
}, 240_000);
afterAll(async () => {
  for (const b of burners) b.kill('SIGKILL');
  await driver?.close();
});

describe('step 11 is decided by the rules file as the host saw it when the firewall restarted', () => {
  it('a fake iptables-restore that fails once, with COMMIT in the file, does not pass', async () => {
    // The learner (root) puts a script before the real binary: it fails the first restore only.
    await sh(
      'machine1',
      [
        'mv /usr/sbin/iptables-restore /usr/sbin/iptables-restore.real',
        "printf '%s\\n' '#!/bin/sh' " +
          '\'if [ ! -e /root/.failed-once ]; then touch /root/.failed-once; echo "iptables-restore: COMMIT expected at line 18" >&2; exit 1; fi\' ' +
          '\'exec /usr/sbin/xtables-nft-multi iptables-restore "$@"\' > /usr/sbin/iptables-restore',
        'chmod 755 /usr/sbin/iptables-restore',
      ].join(' && '),
    );
    expect(await sh('machine1', `grep -c '^COMMIT' ${RULES}`)).toMatch(/^1/);
    expect(await restart()).toMatch(/FAILED/);
    await terminal.run('machine1', 'sleep 2');
    expect(await restart()).toMatch(/OK/);

    const result = await check();
    expect(result, result.message).toMatchObject({ passed: false });
    expect(result.message).toMatch(/still had its COMMIT line then/);
    // The host saw the firewall go empty at that restart, and what the file said at that moment.
    const emptied = journal
      .events(id)
      .find((e) => e.kind === 'ruleset' && e.machineId === 'machine1' && e.firewall === 'stopped');
    expect(emptied?.kind === 'ruleset' && emptied.changedAt).toEqual(expect.any(Number));
    await sh('machine1', 'mv /usr/sbin/iptables-restore.real /usr/sbin/iptables-restore');
  }, 300_000);

  it('the honest failure passes on a busy host, citing what the host saw at the restart', async () => {
    // Two CPU burners at nice 10 keep both cores busy, as a class on one host does.
    for (let i = 0; i < 2; i++)
      burners.push(spawn('nice', ['-n', '10', 'yes'], { stdio: ['ignore', 'ignore', 'ignore'] }));
    await terminal.run('machine1', `sed -i '/^COMMIT/d' ${RULES}`);
    expect(await restart()).toMatch(/FAILED/);
    // The learner reads the failure, then fixes the file.
    await terminal.run('machine1', 'sleep 2');
    await terminal.run('machine1', `echo COMMIT >> ${RULES}`);
    expect(await restart()).toMatch(/OK/);

    const result = await check();
    expect(result, result.message).toMatchObject({ passed: true });
    expect(result.message).toMatch(/the host saw your restart leave Machine 1's firewall empty/);
    expect(result.message).toMatch(/had no COMMIT line/);
  }, 300_000);
});
