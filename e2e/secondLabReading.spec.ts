import { expect, test } from '@playwright/test';
import { moreRulesLab } from '../labs/iptables-more-rules';
import { expectAccessible } from './pages/a11y';
import { FirewallPage } from './pages/FirewallPage';
import { LabPage } from './pages/LabPage';
import { StepsPanel } from './pages/StepsPanel';

const CHAIN = 'RH-Firewall-1-INPUT';

/**
 * A newcomer opens the second lab on a phone, then on a wide screen: the introduction (what the
 * machines are) comes first, a step reached from the jump list or with Alt+S shows its title below
 * the sticky progress bar, and the Firewall view, after a rule added by command and not saved,
 * says to save it or restart, not to restart alone (which would throw the rule away).
 */
test('the second lab reads from its introduction, steps are never under the progress bar, and an unsaved rule is named as such', async ({
  page,
}) => {
  const steps = new StepsPanel(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await LabPage.signIn(page);
  // The landing page shows the lab's summary as written: `!` as code, no backticks.
  const summary = page.locator(`li[data-lab-id="${moreRulesLab.id}"] p`);
  await expect(summary.locator('code')).toHaveText('!');
  await expect(summary).not.toContainText('`');
  const lab = await LabPage.clickStart(page, moreRulesLab.id);
  try {
    // A learner who has checked nothing yet starts at the introduction, not past it.
    await expect(steps.step('find-agent')).toBeAttached();
    await expect(page.locator('.steps-intro p').first()).toBeInViewport();

    const title = (stepId: string) => steps.step(stepId).locator('h3');
    await steps.jumpTo('tcp-reset');
    await expect.poll(() => steps.hiddenUnderProgress(title('tcp-reset'))).toBe(0);

    await page.setViewportSize({ width: 1920, height: 1080 });
    await steps.jumpTo('negate');
    await expect.poll(() => steps.hiddenUnderProgress(title('negate'))).toBe(0);
    // Alt+S, from anywhere, takes the keyboard to the current step's first question.
    await page.keyboard.press('Alt+s');
    const question = steps.step('find-agent').locator('.step-questions input').first();
    await expect(question).toBeFocused();
    await expect.poll(() => steps.hiddenUnderProgress(title('find-agent'))).toBe(0);

    // A rule inserted by command, not saved: the view tells the learner how to keep it.
    await lab.run('machine1', `iptables -I ${CHAIN} 8 -p tcp --dport 25 -j REJECT --reject-with tcp-reset`);
    const fw = new FirewallPage(page);
    await fw.open();
    await expect(fw.notice).toContainText('The running rules differ from the file');
    await expect(fw.notice).toContainText('service iptables save');
    await expect(fw.notice.locator('li code').first()).toContainText('--reject-with tcp-reset');
    await expect(fw.notice).not.toContainText('`');
    await expectAccessible(page, 'the Firewall view with a rule not saved');

    await page.setViewportSize({ width: 390, height: 844 });
    await expect(fw.notice).toBeVisible();
    expect(await lab.horizontalOverflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the Firewall view at 390×844');
  } finally {
    await lab.end();
  }
});
