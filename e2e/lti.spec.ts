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

  // The instructor registers the LMS on the page that shows the URLs to paste into it.
  await DashboardPage.signIn(page, PASSWORD);
  await page.getByRole('link', { name: 'Connect an LMS' }).click();
  await expect(page.locator('#tool-urls')).toContainText(platform.tool.login);
  await expect(page.locator('#tool-urls')).toContainText(platform.tool.jwks);
  const reg = platform.registration();
  const form = page.locator('#platform-form');
  await form.getByLabel('Name').fill(reg.name);
  await form.getByLabel('Issuer (platform ID)').fill(reg.issuer);
  await form.getByLabel('Client ID').fill(reg.clientId);
  await form.getByLabel('Authentication request URL').fill(reg.authUrl);
  await form.getByLabel('Access token URL').fill(reg.tokenUrl);
  await form.getByLabel('Public keyset (JWKS) URL').fill(reg.jwksUrl);
  await form.getByLabel('Deployment IDs, comma-separated').fill(reg.deploymentIds.join(', '));
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(page.locator('#platforms')).toContainText(`client ${reg.clientId}`);
  await expectAccessible(page, 'the LMS page');

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
