import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { LabPage } from './pages/LabPage';

const STOPPED = 'Machine 1 stopped unexpectedly: Reset lab to get fresh machines';

/** The container behind a machine of this page's lab, found by its address (the API never shows container ids). */
function containerAt(machineId: string, address: string): string {
  const ids = execFileSync(
    'docker',
    [
      'ps',
      '-q',
      '--filter',
      `label=iptables-lab.instance=${process.env.E2E_INSTANCE}`,
      '--filter',
      `label=iptables-lab.machine=${machineId}`,
    ],
    { encoding: 'utf8' },
  )
    .split('\n')
    .filter(Boolean);
  for (const id of ids) {
    const addresses = execFileSync(
      'docker',
      ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', id],
      { encoding: 'utf8' },
    );
    if (addresses.split(' ').includes(address)) return id;
  }
  throw new Error(`no ${machineId} container at ${address}`);
}

test('when a machine is killed, the page says so and offers a reset instead of reconnecting', async ({ page }) => {
  const lab = await LabPage.start(page);
  await lab.waitConnected('machine1');
  execFileSync('docker', ['kill', containerAt('machine1', await lab.address('machine1'))]);

  await expect(lab.notice()).toContainText(STOPPED);
  await expect(lab.terminal('machine1')).toHaveAttribute('data-state', 'closed');
  // Asking for a new shell gets the same answer, not a reconnect loop.
  await lab.terminal('machine1').click();
  await page.keyboard.press('Enter');
  await lab.waitForText('machine1', /Machine 1 stopped unexpectedly/);
  await expect(lab.terminal('machine1')).toHaveAttribute('data-state', 'closed');

  await lab.resetFromPage();
  await lab.waitResetDone();
  await lab.waitConnected('machine1');
  await lab.waitForText('machine1', /\[root@machine1 [^\]]*\]#/);
  await lab.end();
});
