import { expect, test } from '@playwright/test';
import { moreRulesLab } from '../labs/iptables-more-rules';
import { expectAccessible } from './pages/a11y';
import { DashboardPage } from './pages/DashboardPage';
import { LabPage } from './pages/LabPage';
import { StepsPanel } from './pages/StepsPanel';

const PASSWORD = 'e2e-instructor-password';

/** A class is for one lab: the instructor picks the second one, and sees the port drawn for a learner. */
test("a class for the second lab: the learner's lab is that lab, and the instructor sees the learner's port", async ({
  browser,
  page,
}) => {
  await page.goto('/instructor');
  const dashboard = await DashboardPage.signIn(page, PASSWORD);
  await dashboard.createClass('Second lab class', moreRulesLab.title);
  await expect(page.locator('#class-lab-title')).toHaveText(moreRulesLab.title);
  const code = (await page.locator('#join-code').innerText()).trim();

  const context = await browser.newContext();
  const learnerPage = await context.newPage();
  const lab = await LabPage.join(learnerPage, code, 'Cy');
  try {
    const steps = new StepsPanel(learnerPage);
    await expect(steps.step('find-agent')).toBeVisible();

    await dashboard.openLearner('Cy');
    const shown = page.locator('#learner-parameters');
    await expect(shown).toHaveText(/agentPort = 7\d{3}/);
    const port = /agentPort = (\d+)/.exec((await shown.textContent()) ?? '')?.[1] ?? '';
    await expect(steps.step('office-only')).toContainText(`--dport ${port} -j ACCEPT`);
    await expectAccessible(page, 'the dashboard with a learner of the second lab');
  } finally {
    await lab.end();
    await context.close();
  }
});
