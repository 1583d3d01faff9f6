import { expect, test } from '@playwright/test';
import { LabPage } from './pages/LabPage';
import { StepsPanel } from './pages/StepsPanel';

/** A learner presses Check on the ICMP step before and after doing it, in the real page. */
test('Check on step 4 explains what is missing, then passes once the learner watched ping fail', async ({ page }) => {
  const lab = await LabPage.start(page);
  const steps = new StepsPanel(page);
  try {
    const m1 = await lab.address('machine1');
    await expect(steps.step('icmp-off')).toBeVisible();

    // The message is Markdown, shown rendered like the instructions: code, not backticks.
    expect(await steps.check('icmp-off')).toContain('/etc/sysconfig/iptables-BAK does not exist');
    await expect(steps.message('icmp-off').locator('code').first()).toHaveText('/etc/sysconfig/iptables-BAK');
    await expect(steps.message('icmp-off')).not.toContainText('`');
    await expect(steps.step('icmp-off')).toHaveAttribute('data-status', 'failed');

    await lab.run(
      'machine1',
      "cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-BAK && sed -i 's/^-A RH-Firewall-1-INPUT -p icmp/#&/' /etc/sysconfig/iptables",
    );
    await lab.run('machine2', `ping ${m1}`);
    await lab.waitForText('machine2', /icmp_seq=2 ttl/);
    await lab.run('machine1', 'service iptables restart');
    await lab.waitForText('machine1', /Applying iptables firewall rules:.*OK/);
    await lab.focus('machine2');
    await lab.waitForText('machine2', /Destination Host Prohibited[\s\S]*Destination Host Prohibited/);
    await page.keyboard.press('Control+C');
    await lab.waitForText('machine2', /packet loss/);

    expect(await steps.check('icmp-off')).toContain('The host saw it on the network');
    await expect(steps.step('icmp-off')).toHaveAttribute('data-status', 'passed');
    await page.screenshot({ path: 'test-results/check-step.png' });
  } finally {
    await lab.end();
  }
});
