import { expect, test } from '@playwright/test';
import { expectAccessible } from './pages/a11y';
import { DashboardPage } from './pages/DashboardPage';
import { LabPage } from './pages/LabPage';
import { StepsPanel } from './pages/StepsPanel';
import { TimelinePanel } from './pages/TimelinePanel';

const PASSWORD = 'e2e-instructor-password';

/**
 * The instructor watches a learner do step 4 (ping answered, the ICMP rule commented out and the
 * firewall restarted, ping rejected as host-prohibited, Check) and the learner's timeline tells
 * it as it happened, from the journal; scrubbing back shows the ICMP rule still in place. The
 * learner sees the same evidence under the step, as "What the host saw".
 */
test('the instructor’s timeline shows a learner’s step 4 as it happened', async ({ browser, page }) => {
  test.setTimeout(240_000);
  const dashboard = await DashboardPage.signIn(page, PASSWORD);
  const code = await dashboard.createClass('Timeline class');
  const timeline = new TimelinePanel(page);
  const context = await browser.newContext();
  try {
    const learnerPage = await context.newPage();
    const lab = await LabPage.join(learnerPage, code, 'Tia');
    const steps = new StepsPanel(learnerPage);
    await lab.waitConnected('machine1');
    const m1 = (await lab.session()).machines.find((m) => m.id === 'machine1')?.addresses.lan ?? '';

    // The instructor has the learner's panel open while they work.
    await expect(dashboard.rosterRow('Tia')).toBeVisible();
    await dashboard.openLearner('Tia');
    await expect(timeline.section()).toBeVisible();

    await lab.run(
      'machine1',
      "cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-BAK && sed -i 's/^-A RH-Firewall-1-INPUT -p icmp/#&/' /etc/sysconfig/iptables",
    );
    await lab.run('machine2', `ping ${m1}`);
    await lab.waitForText('machine2', /icmp_seq=3 ttl/, 30_000);
    await lab.run('machine1', 'service iptables restart');
    await lab.waitForText('machine1', /Applying iptables firewall rules:.*OK/, 30_000);
    await lab.focus('machine2');
    await lab.waitForText('machine2', /Destination Host Prohibited[\s\S]*Destination Host Prohibited/, 30_000);
    await learnerPage.keyboard.press('Control+C');
    await lab.waitForText('machine2', /packet loss/);
    expect(await steps.check('icmp-off')).toContain('The host saw it on the network');

    // Pushed: the check changes the learner's line on the dashboard, and the open timeline follows.
    const [answered, change, rejected, check] = await timeline.waitForSequence([
      /packets .*Machine 2 pinged Machine 1 .*echo requests? answered/,
      /ruleset .*Machine 1's ruleset changed.*1 rule removed/,
      /packets .*Machine 2 pinged Machine 1 .*rejected as host-prohibited/,
      /check .*Check of step 4\..*passed/,
    ]);
    const texts = await timeline.texts();
    expect(texts.some((t) => /command learner-reported Machine 2: ping /.test(t))).toBe(true);
    expect(texts.some((t) => /command learner-reported Machine 1: service iptables restart/.test(t))).toBe(true);

    // The newest moment is chosen; the moment says step 4 passed and Machine 1 has no ICMP rule.
    await expect(timeline.moment()).toContainText('icmp-off: ✓ passed');
    await timeline.choose(check ?? 0);
    await expect(await timeline.rulesOf('Machine 1')).toContainText('REJECT');
    await expect(await timeline.rulesOf('Machine 1')).not.toContainText('-p icmp');
    await page.screenshot({ path: 'test-results/timeline-wide.png', fullPage: true });
    await expectAccessible(page, 'the dashboard with the learner’s timeline');

    // Scrubbing back (keyboard on the slider) to the answered pings: the ICMP rule was still there.
    await timeline.scrubWithKeys(...Array<string>((check ?? 0) - (answered ?? 0)).fill('ArrowLeft'));
    await expect(
      timeline
        .lines()
        .nth(answered ?? 0)
        .getByRole('button'),
    ).toHaveAttribute('aria-current', 'true');
    await expect(timeline.moment()).toContainText('echo request');
    await expect(await timeline.rulesOf('Machine 1')).toContainText('-p icmp');
    await expect(timeline.moment()).not.toContainText('icmp-off: ✓ passed');
    // And with the arrow keys in the list itself, forward to the ruleset change.
    await timeline
      .lines()
      .nth(answered ?? 0)
      .getByRole('button')
      .focus();
    for (let i = answered ?? 0; i < (change ?? 0); i++) await page.keyboard.press('ArrowDown');
    await expect(
      timeline
        .lines()
        .nth(change ?? 0)
        .getByRole('button'),
    ).toBeFocused();
    await expect(timeline.moment()).toContainText('− -A RH-Firewall-1-INPUT -p icmp');
    expect(rejected).toBeGreaterThan(change ?? 0);

    // On a phone the timeline stacks and the page never scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => dashboard.sidewaysOverflow()).toBeLessThanOrEqual(0);
    await timeline.section().scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/timeline-phone-full.png', fullPage: true });
    await timeline.section().screenshot({ path: 'test-results/timeline-phone.png' });
    await expectAccessible(page, 'the learner’s timeline at 390×844');

    // The learner's side: what the host saw for the step, the verdict's evidence first.
    const saw = steps.step('icmp-off').getByText('What the host saw');
    await saw.click();
    const body = steps.step('icmp-off').locator('.host-saw-body');
    await expect(body).toContainText('Your last check');
    await expect(body).toContainText('The host saw it on the network');
    await expect(body.locator('li[data-kind="packets"]').filter({ hasText: 'host-prohibited' }).first()).toBeVisible();
    await steps.step('icmp-off').locator('.host-saw').scrollIntoViewIfNeeded();
    await learnerPage.screenshot({ path: 'test-results/timeline-learner.png' });
    await expectAccessible(learnerPage, 'the lab page with "What the host saw" open');
    await lab.end();
  } finally {
    await context.close();
  }
});
