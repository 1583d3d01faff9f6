import { expect, test } from './fixtures/firewallLab';

/**
 * "Start a trace, then send the traffic from a terminal": the trace keeps running while the
 * learner is in the terminal, and the Firewall tab shows what it caught when they come back.
 */
test('a trace started, then traffic sent from a terminal, shows the packets when the learner comes back', async ({
  page,
  firewallLab: { lab, fw, m1 },
}) => {
  await fw.open();
  await fw.startTrace({ from: 'Machine 2', protocol: 'icmp', packets: 3 });
  await expect(fw.trace).toContainText('Tracing', { timeout: 20_000 });

  // To the terminal: the Firewall view is hidden (its socket closes) while the ping runs.
  await lab.run('machine2', `ping -c 4 -i 0.3 ${m1}`);
  await expect(fw.view).toBeHidden();
  await lab.waitForText('machine2', /4 packets transmitted/);

  await fw.open();
  await expect(fw.trace).toContainText(/finished: 3 packets traced/, { timeout: 20_000 });
  await expect(fw.trace.locator('.fw-packet')).toHaveCount(3);
  const fate = fw.trace.locator('.fw-fate').first();
  await expect(fate).toContainText('Through INPUT then RH-Firewall-1-INPUT: accepted by rule 2 of RH-Firewall-1-INPUT');
  await expect(fate).toContainText('(line 11 of the rules file)');
  await expect(fw.trace.getByRole('button', { name: 'Start trace' })).toBeEnabled();
  await page.screenshot({ path: 'test-results/e2e/trace-after-terminal.png' });
});

test.describe('on a wide screen', () => {
  test.use({ viewport: { width: 1600, height: 900 } });

  test('in Split view the Firewall tab is drawn alone, over no terminal, and a trace survives a visit to either terminal', async ({
    page,
    firewallLab: { lab, fw, m1 },
  }) => {
    await page.locator('#split-toggle').click();
    await expect(page.locator('#split-toggle')).toHaveAttribute('aria-pressed', 'true');

    await fw.open();
    await expect(lab.terminal('machine1')).toBeHidden();
    await expect(lab.terminal('machine2')).toBeHidden();
    await fw.startTrace({ from: 'Machine 2', protocol: 'icmp', packets: 2 });
    await expect(fw.trace).toContainText('Tracing', { timeout: 20_000 });

    await lab.run('machine2', `ping -c 3 -i 0.3 ${m1}`);
    await lab.waitForText('machine2', /3 packets transmitted/);
    await fw.open();
    await expect(fw.trace).toContainText(/finished: 2 packets traced/, { timeout: 20_000 });
    await expect(fw.trace.locator('.fw-fate').first()).toContainText('accepted by rule 2');
    await page.screenshot({ path: 'test-results/e2e/trace-split-view.png' });
  });
});
