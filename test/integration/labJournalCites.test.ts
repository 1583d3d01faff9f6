import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleServerLab } from '../../labs/iptables-single-server';
import type { GradingEngine } from '../../server/grading/GradingEngine';
import type { LabDriver } from '../../server/grading/selfTest';
import { engineCheck, singleServerDriver } from '../support/labDriver';

/**
 * With a journal, every observation step's pass says what the host saw: which scan crossed the
 * bridge, which ping (by ICMP id) and which change of Machine 1's rules, what the rules file said
 * when the firewall restarted. The whole lab is solved in order in one session.
 */
let driver: LabDriver;
let engine: GradingEngine;
let id = '';

beforeAll(async () => {
  ({ driver, engine, id } = await singleServerDriver('cites', { journal: true }));
}, 240_000);
afterAll(async () => {
  await driver?.close();
});

const TIME = String.raw`\d\d:\d\d:\d\d`;
const cites: Record<string, RegExp> = {
  'baseline-scan': new RegExp(`the host saw Machine 2's scan at ${TIME}: \\d+ ports probed`),
  'icmp-off': new RegExp(
    `The host saw it on the network: Machine 2's ping \\(ICMP id \\d+\\) got \\d+ replies up to icmp_seq=\\d+; at ${TIME} Machine 1's running rules changed`,
  ),
  'icmp-on': new RegExp(
    `The host saw Machine 1's rules take the ICMP rule back at ${TIME}, and then \\d+ echo requests from Machine 2 \\(ICMP id \\d+\\) answered`,
  ),
  rescan: new RegExp(`the host saw office-pc's scan at ${TIME}: \\d+ ports probed`),
  commit: new RegExp(
    `At ${TIME} the host saw your restart leave Machine 1's firewall empty, while \`/etc/sysconfig/iptables\` had no COMMIT line`,
  ),
};

describe('observation steps cite the journal when they pass', () => {
  for (const step of singleServerLab.steps) {
    it(`${step.id}${cites[step.id] ? ': cites what the host saw' : ''}`, async () => {
      await driver.solve(step.id);
      const result = await engineCheck(engine, driver, id, step.id);
      expect(result, result.message).toMatchObject({ passed: true });
      if (cites[step.id]) expect(result.message).toMatch(cites[step.id] as RegExp);
    });
  }
});
