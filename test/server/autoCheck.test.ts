import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabLearner, staysFor, TOUR_ANSWERS, typeCommand } from './support/labLearner';
import { startTestServer } from './support/testServer';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const BACKUP = 'cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-$(date +%F)_BAK';

/**
 * Auto-check against a real server and real labs: a learner's finished command checks the
 * current step in the background, unless the learner turned auto-check off.
 * Step 1 asks questions, so each learner first answers them and presses Check, as its
 * instructions say; from then on the backup step is the current one.
 */
describe('auto-check after a finished command', () => {
  let server: Server;
  let auto: LabLearner;
  let manual: LabLearner;
  let skipper: LabLearner;

  beforeAll(async () => {
    server = await startTestServer({}, { grading: true });
    [auto, manual, skipper] = await Promise.all([
      LabLearner.start(server.url),
      LabLearner.start(server.url),
      LabLearner.start(server.url),
    ]);
    for (const learner of [auto, manual])
      expect(await learner.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('passes the backup step once the learner runs the backup command, with no Check for it', async () => {
    expect(await auto.steps()).toMatchObject({ autoCheck: true, currentStep: 'backup' });
    expect(await auto.status('backup')).toBe('not-checked');

    const machine1 = await auto.terminal('machine1');
    await typeCommand(machine1, BACKUP);
    machine1.close();

    await expect.poll(() => auto.status('backup'), { timeout: 120_000, interval: 250 }).toBe('passed');
    expect(await auto.steps()).toMatchObject({ currentStep: 'baseline-scan' });
  });

  it('never judges a step the learner has not started: the next command leaves it "not checked"', async () => {
    const machine1 = await auto.terminal('machine1');
    await typeCommand(machine1, 'ls /etc/sysconfig');
    machine1.close();
    // Auto-check runs as the command ends and fails the scan step (nothing scanned yet); give it 3 s to show.
    await staysFor(3_000, () => auto.status('baseline-scan'), 'not-checked');
    expect((await auto.step('baseline-scan')).state).toMatchObject({ attempts: 0 });
  });

  it('moves past a question step still waiting for its answers', async () => {
    expect(await skipper.steps()).toMatchObject({ autoCheck: true, currentStep: 'tour' });

    const machine1 = await skipper.terminal('machine1');
    await typeCommand(machine1, BACKUP);
    machine1.close();

    await expect.poll(() => skipper.status('backup'), { timeout: 120_000, interval: 250 }).toBe('passed');
    expect(await skipper.status('tour')).not.toBe('passed');
  });

  it('does not pass a step in the background once auto-check is off; Check still does', async () => {
    expect(await manual.setAutoCheck(false)).toEqual({ autoCheck: false });
    expect(await manual.steps()).toMatchObject({ autoCheck: false, currentStep: 'backup' });

    const machine1 = await manual.terminal('machine1');
    await typeCommand(machine1, BACKUP);
    await typeCommand(machine1, 'ls /etc/sysconfig');
    machine1.close();

    // Auto-check would have run as the last command ended; give it 3 s to show.
    await staysFor(3_000, () => manual.status('backup'), 'not-checked');
    expect(await manual.check('backup')).toMatchObject({ passed: true });
    expect(await manual.status('backup')).toBe('passed');
  });
});
