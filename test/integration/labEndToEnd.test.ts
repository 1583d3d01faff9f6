import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleServerLab } from '../../labs/iptables-single-server';
import type { LabDriver } from '../../server/grading/selfTest';
import { singleServerDriver } from '../support/labDriver';

/** On a fresh lab every checker fails with its own helpful message; then the solves pass every step in order. */
let driver: LabDriver;
let m1 = '';
/** Checker durations are reported, not asserted: timings belong to benchmarks on a noisy host. */
const checkTimes: string[] = [];

beforeAll(async () => {
  ({ driver } = await singleServerDriver('labe2e'));
  m1 = driver.deployment.machines.find((m) => m.id === 'machine1')?.addresses.lan ?? '';
});
afterAll(async () => {
  console.log(`checker durations: ${checkTimes.join(', ')}`);
  await driver?.close();
});

const freshMessages: Record<string, () => RegExp> = {
  tour: () => /Answer both questions/,
  backup: () => /no `\/etc\/sysconfig\/iptables-\d{4}-\d\d-\d\d_BAK` on Machine 1.*today's date/,
  'baseline-scan': () =>
    new RegExp(`no \`first-scan.txt\` yet. Run \`nmap ${m1.replace(/\./g, '\\.')} > first-scan.txt\``),
  'icmp-off': () => /`\/etc\/sysconfig\/iptables-BAK` does not exist/,
  'icmp-on': () => /`\/etc\/sysconfig\/iptables-BAK` is missing/,
  drop: () =>
    /Pings are not dropped: `-p icmp --icmp-type any -j ACCEPT`, line 11 of `\/etc\/sysconfig\/iptables` decides/,
  outsiders: () => /office-pc's pings are not dropped/,
  apache: () => /can still open port 80/,
  rescan: () => /no `second-scan.txt`/,
  'rule-order': () => /shows no `iptables -A RH-Firewall-1-INPUT/,
  commit: () => /shows no failed restart yet/,
  'fix-file': () => /`iptables-restore` still refuses the file/,
};

describe('a fresh lab', () => {
  for (const step of singleServerLab.steps) {
    it(`fails "${step.id}" with a message that says what to do`, async () => {
      const result = await driver.check(step.id);
      expect(result.passed).toBe(false);
      expect(result.message).toMatch(freshMessages[step.id]?.() ?? /^$/);
      checkTimes.push(`${step.id}: ${result.ms} ms`);
    });
  }
});

describe('the whole lab, solved in order in one session', () => {
  for (const step of singleServerLab.steps) {
    it(`passes "${step.id}" after its solve`, async () => {
      await driver.solve(step.id);
      const result = await driver.check(step.id);
      expect(result, result.message).toMatchObject({ passed: true });
      checkTimes.push(`${step.id}: ${result.ms} ms`);
    });
  }
});
