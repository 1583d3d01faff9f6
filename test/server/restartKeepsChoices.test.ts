import { afterAll, describe, expect, it } from 'vitest';
import { RestartableServer } from '../support/restartableServer';
import { LabLearner, TOUR_ANSWERS, type StepJson } from './support/labLearner';
import { api } from './support/testServer';

const server = new RestartableServer('rc');

const stepsAfterRestart = async (
  base: string,
  learner: LabLearner,
): Promise<{ autoCheck: boolean; steps: StepJson[] }> => {
  const res = await api(base, `/api/sessions/${learner.session.id}/steps`, { cookie: learner.cookie });
  expect(res.status).toBe(200);
  return res.json as { autoCheck: boolean; steps: StepJson[] };
};

describe('a server killed with SIGKILL and started again (grading choices)', () => {
  afterAll(() => server.dispose());

  it('keeps the hints revealed, the answers given and auto-check turned off', async () => {
    const learner = await LabLearner.start(await server.start());
    expect(await learner.revealHint('tour')).toHaveLength(1);
    expect(await learner.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    // Step 9 cannot pass yet (no scans), but its answer is kept for the next Check.
    expect(await learner.check('rescan', { closed: '21, 25, 111' })).toMatchObject({ passed: false });
    expect(await learner.setAutoCheck(false)).toEqual({ autoCheck: false });

    const after = await stepsAfterRestart(await server.restart('SIGKILL'), learner);
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
