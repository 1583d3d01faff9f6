import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import Docker from 'dockerode';
import { loadConfig } from '../server/config';
import { runServerUntilListening, type ServerProcess } from '../test/support/serverProcess';
import { removeEveryLab } from '../test/support/removeEveryLab';
import { LabPage } from './pages/LabPage';
import { StepsPanel } from './pages/StepsPanel';
import { testNamespace } from '../test/support/testNamespace';

/**
 * Come back later: a learner passes steps 1-3, leaves the lab idle until it sleeps, comes back
 * and resumes it (same files, same progress), then ends it and starts again (fresh machines,
 * same progress). Its own server, with idle settings short enough to wait for.
 */
const env = {
  LAB_INSTANCE: testNamespace('e2ers'),
  DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ipl-e2e-resume-')),
  HOST: '127.0.0.1',
  LAB_WARM_POOL: '0',
  LAB_KEEP_ON_SHUTDOWN: 'false',
  // Two address slots of its own (the other servers take the lowest free from 1, and the runtime
  // contract from 201): asleep, the lab keeps its addresses unless this spec takes them itself.
  LAB_POOL_FIRST: '240',
  LAB_POOL_LAST: '241',
  // Asleep 12 s after the last activity, warned 4 s before.
  LAB_IDLE_MINUTES: '0.2',
  LAB_IDLE_WARNING_SECONDS: '4',
};

const progress = (page: Page) => page.locator('.steps-progress');

test.describe.serial('coming back to a lab', () => {
  let server: ServerProcess;
  let context: BrowserContext;
  let page: Page;
  let lab: LabPage;
  let steps: StepsPanel;

  test.beforeAll(async ({ browser }) => {
    server = await runServerUntilListening(env);
    context = await browser.newContext({ baseURL: server.url });
    page = await context.newPage();
    lab = await LabPage.start(page);
    steps = new StepsPanel(page);
  });

  test.afterAll(async () => {
    await context?.close();
    await server?.stop('SIGTERM');
    await removeEveryLab(env);
  });

  test('steps 1-3 pass', async () => {
    const m1 = await lab.address('machine1');
    await steps.step('tour').locator('input[name="jump"]').fill('RH-Firewall-1-INPUT');
    await steps.step('tour').locator('input[name="last"]').fill('It rejects the packet (icmp-host-prohibited)');
    await steps.check('tour');
    await expect(steps.step('tour')).toHaveAttribute('data-status', 'passed');

    await lab.run('machine1', 'cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-$(date +%Y-%m-%d)_BAK');
    await lab.run('machine1', 'service iptables stop; echo stopped-$((2+2))');
    await lab.waitForText('machine1', /stopped-4/);
    await lab.run('machine2', `nmap ${m1} > first-scan.txt; echo scan-$((1+2))-done`);
    await lab.waitForText('machine2', /scan-3-done/, 60_000);
    await steps.check('backup');
    await expect(steps.step('backup')).toHaveAttribute('data-status', 'passed');
    await steps.check('baseline-scan');
    await expect(steps.step('baseline-scan')).toHaveAttribute('data-status', 'passed');
    await expect(progress(page)).toHaveText(/^3 of 12 /);
  });

  test('an idle lab goes to sleep; coming back shows 3 of 12 at once and Resume brings the files back', async () => {
    await expect(page.locator('#asleep')).toBeVisible({ timeout: 60_000 });
    await expect(lab.terminal('machine1')).toHaveAttribute('data-state', 'closed');

    // Coming back later: the page opens on the sleeping lab, progress already there.
    await page.reload();
    await expect(page.locator('#asleep')).toBeVisible();
    await expect(page.locator('#asleep')).toContainText('/etc/sysconfig/iptables');
    await expect(progress(page)).toHaveText(/^3 of 12 /);

    const resumedAt = Date.now();
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.locator('#asleep')).toBeHidden({ timeout: 30_000 });
    await lab.waitConnected('machine1');
    console.log(`terminal back ${Date.now() - resumedAt} ms after Resume`);
    await expect(page.locator('#notice')).toContainText('/etc/sysconfig/iptables');
    await expect(progress(page)).toHaveText(/^3 of 12 /);

    await lab.run('machine1', 'clear; ls /etc/sysconfig/');
    await lab.waitForText('machine1', /iptables-\d{4}-\d\d-\d\d_BAK/);
    await lab.run('machine2', 'clear; ls -l first-scan.txt');
    await lab.waitForText('machine2', /root root \d+ .* first-scan\.txt/);
    expect(await steps.check('backup')).toContain('exact copy');
    expect(await steps.check('baseline-scan')).toContain('all 12 services');
    await expect(progress(page)).toHaveText(/^3 of 12 /);
  });

  test('Resume when the old addresses were taken meanwhile: the page shows the new ones and says so', async () => {
    const before = await lab.session();
    const oldM1 = await lab.address('machine1');
    await page.locator('#sleep').click();
    await expect(page.locator('#asleep')).toBeVisible({ timeout: 30_000 });
    // While it sleeps, its LAN subnet goes to someone else: the lab gives its slot up (the panel
    // shows as the machines begin to stop; the networks go a moment later).
    const docker = new Docker({ socketPath: loadConfig(process.env).runtime.socketPath });
    let blocker: Docker.Network | undefined;
    await expect(async () => {
      blocker = await docker.createNetwork({
        Name: `ipl-e2e-block${process.pid}`,
        Internal: true,
        IPAM: { Config: [{ Subnet: before.networks.find((n) => n.id === 'lan')?.subnet ?? '' }] },
      });
    }).toPass({ timeout: 30_000 });
    try {
      await page.getByRole('button', { name: 'Resume' }).click();
      await expect(page.locator('#asleep')).toBeHidden({ timeout: 30_000 });
      await expect(lab.notice()).toContainText('they have new ones');
      const newM1 = await lab.address('machine1');
      expect(newM1).not.toBe(oldM1);
      await expect(lab.tab('machine1')).toContainText(newM1);
      await lab.waitConnected('machine1');
      await lab.run('machine1', 'clear; ls /etc/sysconfig/ | grep -c _BAK');
      await lab.waitForText('machine1', /^1$/m);
    } finally {
      await blocker?.remove();
    }
  });

  test('End lab says what it destroys; starting again keeps 3 of 12 on fresh machines', async () => {
    const before = lab.sessionId;
    await page.locator('#end').click();
    const dialog = page.locator('#confirm');
    await expect(dialog).toContainText('destroyed');
    await expect(dialog.getByRole('button', { name: 'Sleep' })).toBeVisible();
    await dialog.getByRole('button', { name: 'End lab' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    lab = await LabPage.clickStart(page);
    expect(lab.sessionId).not.toBe(before);
    await expect(progress(page)).toHaveText(/^3 of 12 /);
    await expect(steps.step('tour').locator('input[name="jump"]')).toHaveValue('RH-Firewall-1-INPUT');
    await lab.run('machine1', 'clear; ls /etc/sysconfig/ | grep -c _BAK');
    await lab.waitForText('machine1', /^0$/m);
    await lab.end();
  });
});
