import { expect, test } from '@playwright/test';
import { expectAccessible } from './pages/a11y';
import { DashboardPage } from './pages/DashboardPage';
import { LabPage } from './pages/LabPage';
import { StepsPanel } from './pages/StepsPanel';
import { StepStatsTable } from './pages/StepStatsTable';

const PASSWORD = 'e2e-instructor-password';

/**
 * The instructor sees where the class is: each learner's step as passed, tried and not passed,
 * or never tried (in symbols and words, not colour alone), and per step how many passed, how long
 * it took and the failure most of them got, all pushed live as the learner works.
 */
test('the dashboard shows three states per step and where the class is stuck', async ({ browser, page }) => {
  const dashboard = await DashboardPage.signIn(page, PASSWORD);
  const code = await dashboard.createClass('Stats class');
  const stats = new StepStatsTable(page);

  const context = await browser.newContext();
  try {
    const learnerPage = await context.newPage();
    const lab = await LabPage.join(learnerPage, code, 'Dee');
    const steps = new StepsPanel(learnerPage);
    await expect(dashboard.rosterRow('Dee')).toBeVisible();
    for (const step of ['tour', 'backup', 'icmp-off'])
      await expect(dashboard.matrixCell('Dee', step)).toHaveAttribute('data-mark', 'untried');
    await expect(stats.passed('backup')).toHaveText('0 of 1');
    await expect(stats.median('backup')).toHaveText('—');

    // Dee checks the tour without answering (a failure), then backs up and passes that step.
    expect(await steps.check('tour')).toContain('Answer both questions');
    await lab.run('machine1', 'cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-$(date +%F)_BAK');
    expect(await steps.check('backup')).not.toContain('no `');
    await expect(steps.step('backup')).toHaveAttribute('data-status', 'passed');

    const tour = dashboard.matrixCell('Dee', 'tour');
    const backup = dashboard.matrixCell('Dee', 'backup');
    // Auto-check may already try the step after backup in the background; nothing reaches step 4.
    const scan = dashboard.matrixCell('Dee', 'icmp-off');
    await expect(tour).toHaveAttribute('data-mark', 'failed');
    await expect(backup).toHaveAttribute('data-mark', 'passed');
    await expect(scan).toHaveAttribute('data-mark', 'untried');
    // Told apart by symbol and words, not colour alone.
    await expect(tour).toHaveText('✗tried, not passed');
    await expect(backup).toHaveText('✓passed');
    await expect(scan).toHaveText('–not tried');
    await expect(page.locator('#matrix caption')).toContainText('✗ tried, not passed');

    // Per step: how many passed, how long it took, and where they failed.
    await expect(stats.table.locator('caption')).toContainText('Per step');
    await expect(stats.passed('backup')).toHaveText('1 of 1');
    await expect(stats.median('backup')).toHaveText(/^\d+ (s|min)$/);
    await expect(stats.passed('tour')).toHaveText('0 of 1');
    await expect(stats.topFailure('tour')).toContainText('Answer both questions below before checking. (1 learner)');
    await expect(stats.topFailure('icmp-off')).toHaveText('—');
    await expectAccessible(page, 'the dashboard with its matrix and statistics');

    // On a phone the wide tables scroll inside their own boxes; the page never scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => dashboard.sidewaysOverflow()).toBeLessThanOrEqual(0);
    await expect(page.getByRole('region', { name: 'Steps' })).toBeVisible();
    await expectAccessible(page, 'the dashboard at 390×844');
    await lab.end();
  } finally {
    await context.close();
  }
});
