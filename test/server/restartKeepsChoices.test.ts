import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeEveryLab } from '../support/removeEveryLab';
import { runServerUntilListening, type ServerProcess } from '../support/serverProcess';
import { LabLearner, TOUR_ANSWERS, type StepJson } from './support/labLearner';
import { api } from './support/testServer';

const env = {
  LAB_INSTANCE: `t-rc${process.pid}`,
  DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ipl-restart-choices-')),
  LAB_WARM_POOL: '0',
  HOST: '127.0.0.1',
};

const stepsAfterRestart = async (
  base: string,
  learner: LabLearner,
): Promise<{ autoCheck: boolean; steps: StepJson[] }> => {
  const res = await api(base, `/api/sessions/${learner.session.id}/steps`, { cookie: learner.cookie });
  expect(res.status).toBe(200);
  return res.json as { autoCheck: boolean; steps: StepJson[] };
};

describe('a server killed with SIGKILL and started again (grading choices)', () => {
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop('SIGTERM');
    await removeEveryLab(env);
  });

  it('keeps the hints revealed, the answers given and auto-check turned off', async () => {
    server = await runServerUntilListening(env);
    const learner = await LabLearner.start(server.url);
    expect(await learner.revealHint('tour')).toHaveLength(1);
    expect(await learner.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    // Step 9 cannot pass yet (no scans), but its answer is kept for the next Check.
    expect(await learner.check('rescan', { closed: '21, 25, 111' })).toMatchObject({ passed: false });
    expect(await learner.setAutoCheck(false)).toEqual({ autoCheck: false });

    await server.stop('SIGKILL');
    server = await runServerUntilListening(env);

    const after = await stepsAfterRestart(server.url, learner);
    expect(after.autoCheck).toBe(false);
    const step = (id: string): StepJson | undefined => after.steps.find((s) => s.id === id);
    expect(step('tour')).toMatchObject({
      answers: TOUR_ANSWERS,
      hints: [expect.any(String)],
      state: { status: 'passed' },
    });
    expect(step('rescan')).toMatchObject({ answers: { closed: '21, 25, 111' }, hints: [] });
    expect(step('backup')).toMatchObject({ answers: {}, hints: [] });
  }, 180_000);
});
