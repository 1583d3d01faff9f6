import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassInfo } from './support/classroomClient';
import { ClassroomFixture } from './support/classroomFixture';
import { LabLearner, staysFor, TOUR_ANSWERS, typeCommand } from './support/labLearner';

const run = promisify(execFile);

/** `npm run grade` as an instructor runs it: a separate process with only the server's own settings. */
async function grade(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/grade.ts', ...args], {
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The table's cells of one learner, by step id. */
function cells(stdout: string, learner: string): Record<string, string> {
  const lines = stdout.split('\n');
  const header = lines.find((l) => l.startsWith('Learner')) ?? '';
  const starts = [...header.matchAll(/\S+/g)].map((m) => m.index);
  const row = lines.find((l) => l.startsWith(learner)) ?? '';
  const names = [...header.matchAll(/\S+/g)].map((m) => m[0]);
  return Object.fromEntries(names.map((name, i) => [name, row.slice(starts[i], starts[i + 1]).trim()]));
}

describe('npm run grade finds the server from its own settings', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipl-grade-'));
  const port = String(19_000 + (process.pid % 1000));
  const settings = { DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1' };
  let classroom: ClassroomFixture;
  let cls: ClassInfo;
  let code = '';

  beforeAll(async () => {
    classroom = await ClassroomFixture.start(settings, { grading: true });
    cls = await classroom.createClass('Thursday');
    code = cls.class.joinCode;
    const ann = await LabLearner.start(classroom.url, await classroom.join(cls, 'Ann'));
    await ann.setAutoCheck(false);
    expect((await ann.check('tour', TOUR_ANSWERS)).passed).toBe(true);
    expect((await ann.check('backup')).passed).toBe(false);
    await classroom.join(cls, 'Bo');
  }, 180_000);
  afterAll(() => classroom?.close());

  it('with DATA_DIR and PORT as the server has them: pass, fail and never tried apart, and --details says why', async () => {
    const out = await grade(settings, '--class', code, '--details');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Thursday');
    expect(cells(out.stdout, 'Ann')).toMatchObject({
      tour: 'pass',
      backup: 'fail',
      'baseline-scan': 'never tried',
      'fix-file': 'never tried',
    });
    expect(cells(out.stdout, 'Bo')).toMatchObject({ tour: 'never tried', Passed: 'no lab' });
    expect(out.stdout).toMatch(/Failing checks:\nAnn · backup: .*iptables-\d{4}-\d\d-\d\d_BAK/);
    expect(out.stdout).not.toMatch(/Ann · baseline-scan/);
  }, 180_000);

  it('a grading run does not make steps count as tried: a second run says the same', async () => {
    const again = await grade(settings, '--class', code);
    expect(cells(again.stdout, 'Ann')).toMatchObject({ backup: 'fail', 'baseline-scan': 'never tried' });
    expect(again.stdout).not.toContain('Failing checks');
  }, 180_000);

  it('an auto-check failure on a step the learner has not started is no try: "never tried"', async () => {
    // Cy keeps auto-check on: after her pass, a command makes it check the backup step she has not started.
    const cy = await LabLearner.start(classroom.url, await classroom.join(cls, 'Cy'));
    expect((await cy.check('tour', TOUR_ANSWERS)).passed).toBe(true);
    const machine1 = await cy.terminal('machine1');
    await typeCommand(machine1, 'ls /etc/sysconfig');
    machine1.close();
    // Auto-check runs 500 ms after the command; give it six times that.
    await staysFor(3_000, () => cy.status('backup'), 'not-checked');
    const out = await grade(settings, '--class', code);
    expect(cells(out.stdout, 'Cy')).toMatchObject({ tour: 'pass', backup: 'never tried' });
  }, 180_000);

  it('with --url it needs only the database settings', async () => {
    const out = await grade({ DATA_DIR: dataDir, PORT: '1' }, '--class', code, '--url', classroom.url, '--csv');
    expect(out.code).toBe(0);
    expect(out.stdout.split('\r\n')[0]).toMatch(/^Learner,tour,backup,/);
  }, 180_000);

  it('says where it looked when the settings point elsewhere', async () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'ipl-grade-other-'));
    const out = await grade({ DATA_DIR: elsewhere, PORT: port }, '--class', code);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`No class with join code ${code} in ${elsewhere}/iptables-lab.db`);
    const down = await grade({ ...settings, PORT: '1' }, '--class', code);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('does not answer at http://127.0.0.1:1');
  }, 180_000);
});
