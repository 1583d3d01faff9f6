import { expect, test } from '@playwright/test';
import { moreRulesLab } from '../labs/iptables-more-rules';
import { expectAccessible } from './pages/a11y';
import { LabPage } from './pages/LabPage';
import { PageSolver } from './pages/PageSolver';
import { StepsPanel } from './pages/StepsPanel';

/**
 * The second lab, chosen on the landing page and worked through in the page as a learner would
 * (each step as its author's solve does it, typed into the page's terminals): the first half on a
 * wide screen, the second on a phone (the ssh lockout, its safeguard, TCP wrappers and the tool that
 * overwrites the rules file among them). The text names this learner's own agent port.
 */
test('the second lab is chosen on the landing page and walked to the end, on a phone too', async ({ page }) => {
  test.setTimeout(900_000);
  const steps = new StepsPanel(page);
  const lab = new LabPage(page);
  const solver = PageSolver.listen(page, lab, steps);
  await LabPage.signIn(page);
  await expect(page.locator(`li[data-lab-id="${moreRulesLab.id}"] h2`)).toHaveText(moreRulesLab.title);
  await LabPage.clickStart(page, moreRulesLab.id);
  try {
    const dataDir = process.env.E2E_DATA_DIR ?? '';
    const instance = process.env.E2E_INSTANCE ?? '';
    await expect(steps.step('office-only')).toContainText(/--dport 7\d\d\d -j ACCEPT/);
    await expectAccessible(page, 'the second lab');
    const half = Math.ceil(moreRulesLab.steps.length / 2);
    for (const [i, step] of moreRulesLab.steps.entries()) {
      if (i === half) await page.setViewportSize({ width: 390, height: 844 });
      const message = await solver.solve(moreRulesLab, step.id, dataDir, instance);
      await expect(steps.step(step.id), message).toHaveAttribute('data-status', 'passed');
    }
    expect(await lab.horizontalOverflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the second lab at 390×844');
  } finally {
    await lab.end();
  }
});
