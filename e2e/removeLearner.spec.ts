import { expect, test } from '@playwright/test';
import { expectAccessible } from './pages/a11y';
import { DashboardPage } from './pages/DashboardPage';
import { LabPage } from './pages/LabPage';

const PASSWORD = 'e2e-instructor-password';

/**
 * From the learner panel an instructor removes a learner: the learner's lab ends on their page,
 * their line leaves the dashboard, and their sign-in no longer opens anything.
 */
test('an instructor removes a learner from the class', async ({ browser, page }) => {
  const dashboard = await DashboardPage.signIn(page, PASSWORD);
  const code = await dashboard.createClass('Removal class');
  const context = await browser.newContext();
  try {
    const learnerPage = await context.newPage();
    await (await LabPage.join(learnerPage, code, 'Finn')).waitConnected('machine1');

    await dashboard.openLearner('Finn');
    await expectAccessible(page, 'the learner panel with its Remove from class button');
    await dashboard.removeOpenLearner('Finn');
    await expect(dashboard.rosterRow('Finn')).toHaveCount(0);
    await expect(learnerPage.getByRole('dialog')).toContainText('Your instructor ended this lab.');

    const sessions = await learnerPage.request.get('/api/sessions');
    expect(sessions.status()).toBe(403);
    expect(await sessions.text()).toContain('removed you from this class');
    // The landing page says why, as the server said it, not that the network failed.
    await learnerPage.goto('/');
    await expect(learnerPage.getByRole('heading', { level: 1 })).toHaveText('iptables-lab');
    await expect(learnerPage.getByRole('alert')).toHaveText(/^Your instructor removed you from this class/);
    await expectAccessible(learnerPage, 'the landing page of a removed learner');
  } finally {
    await context.close();
  }
});
