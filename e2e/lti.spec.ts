import { expect, test } from '@playwright/test';
import { singleServerLab } from '../labs/iptables-single-server';
import { LEARNER_ROLE } from '../test/support/lti/idTokenClaims';
import { TestPlatform } from '../test/support/lti/TestPlatform';
import { expectAccessible } from './pages/a11y';
import { CoursePage } from './pages/CoursePage';
import { DashboardPage } from './pages/DashboardPage';
import { LabPage } from './pages/LabPage';
import { PageSolver } from './pages/PageSolver';
import { StepsPanel } from './pages/StepsPanel';

const PASSWORD = 'e2e-instructor-password';
const platform = new TestPlatform();

test.beforeAll(() => platform.start());
test.afterAll(() => platform.stop());

/**
 * A learner opens the lab from an LMS course page (the test platform, another site than the
 * tool), in the LMS's frame and then a window of the tool's own, passes the first two steps, and
 * the LMS holds a score of 2 of 12.
 */
test('course page → launch → lab → pass step 2 → the LMS holds 2 of 12', async ({ page, browser, baseURL }) => {
  test.setTimeout(300_000);
  const tool = baseURL ?? '';
  platform.tool = { login: `${tool}/lti/login`, launch: `${tool}/lti/launch`, jwks: `${tool}/lti/jwks` };

  // The instructor registers the LMS (the URLs it shows are the ones the platform was given).
  await DashboardPage.signIn(page, PASSWORD);
  const me = (await (await page.request.get('/api/instructor/me')).json()) as { csrfToken: string };
  const registered = await page.request.post('/api/instructor/lti/platforms', {
    headers: { 'x-csrf-token': me.csrfToken },
    data: platform.registration(),
  });
  expect(registered.status()).toBe(201);
  const urls = (await (await page.request.get('/api/instructor/lti')).json()) as { tool: Record<string, string> };
  expect(urls.tool).toMatchObject(platform.tool);

  // A learner, in a browser of their own with no cookie of the tool yet.
  const context = await browser.newContext();
  const course = new CoursePage(await context.newPage(), platform);
  const user = { sub: 'e2e-learner', name: 'Lina', roles: [LEARNER_ROLE] };
  await course.open({ user, link: { id: 'e2e-link', title: 'iptables lab', custom: { lab: singleServerLab.id } } });
  const labWindow = await course.launchLab();
  const lab = new LabPage(labWindow);
  const steps = new StepsPanel(labWindow);
  const solver = PageSolver.listen(labWindow, lab, steps);
  await labWindow.waitForURL(/\/lab\?session=/, { timeout: 60_000 });
  await expect(lab.input('machine1')).toBeAttached({ timeout: 60_000 });
  await expectAccessible(labWindow, 'the lab opened from an LMS');
  try {
    for (const stepId of ['tour', 'backup']) {
      const message = await solver.solve(
        singleServerLab,
        stepId,
        process.env.E2E_DATA_DIR ?? '',
        process.env.E2E_INSTANCE ?? '',
      );
      await expect(steps.step(stepId), message).toHaveAttribute('data-status', 'passed');
    }
    await expect.poll(() => platform.scoresFor(user.sub).at(-1)?.body.scoreGiven, { timeout: 20_000 }).toBe(2);
    expect(platform.scoresFor(user.sub).at(-1)?.body).toMatchObject({
      scoreMaximum: 12,
      activityProgress: 'InProgress',
    });
  } finally {
    await lab.end();
    await context.close();
  }
});
