import { expect, test } from '@playwright/test';
import { DashboardPage } from './pages/DashboardPage';
import { LabPage } from './pages/LabPage';
import { StepsPanel } from './pages/StepsPanel';

const PASSWORD = 'e2e-instructor-password';
/** Auto-check runs 500 ms after a command; a verdict reaches the dashboard within a second more. */
const AUTO_CHECK_WINDOW_MS = 4_000;

/**
 * Auto-check never judges a step the learner has not started. Step 1 waits for its answers, so a
 * command run from it makes auto-check look at step 2, which fails: that failure is nobody's try,
 * and the dashboard keeps step 2 as never tried until the learner presses its Check.
 */
test('running step 1’s command leaves step 2 “not tried” on the dashboard', async ({ browser, page }) => {
  const dashboard = await DashboardPage.signIn(page, PASSWORD);
  const code = await dashboard.createClass('Auto-check class');
  const context = await browser.newContext();
  try {
    const learnerPage = await context.newPage();
    const lab = await LabPage.join(learnerPage, code, 'Eve');
    const steps = new StepsPanel(learnerPage);
    await lab.waitConnected('machine1');
    const backup = dashboard.matrixCell('Eve', 'backup');
    await expect(backup).toHaveAttribute('data-mark', 'untried');

    await steps.step('tour').getByRole('button', { name: 'Run on Machine 1: service iptables status' }).first().click();
    await lab.waitForText('machine1', /Table: filter/);
    // A negative: it must still hold once auto-check has had time to run and be shown.
    const until = Date.now() + AUTO_CHECK_WINDOW_MS;
    while (Date.now() < until) {
      await expect(backup).toHaveAttribute('data-mark', 'untried');
      await expect(backup).toHaveText('–not tried');
      await expect(steps.step('backup')).not.toHaveAttribute('data-status', 'failed');
      await page.waitForTimeout(250);
    }
    // On a loaded host auto-check may not have run yet. A session's checks run one at a time in
    // the order asked, so once a Check of step 1 (asked after the command) has its verdict, the
    // auto-check has been and gone: the negative is not vacuous.
    expect(await steps.check('tour')).not.toBe('');
    await expect(backup).toHaveAttribute('data-mark', 'untried');
    await expect(steps.step('backup')).not.toHaveAttribute('data-status', 'failed');

    // The learner's own Check makes it tried.
    expect(await steps.check('backup')).not.toBe('');
    await expect(backup).toHaveAttribute('data-mark', 'failed');
    await expect(backup).toHaveText('✗tried, not passed');
    await lab.end();
  } finally {
    await context.close();
  }
});
