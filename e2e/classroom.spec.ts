import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible } from './pages/a11y';
import { DashboardPage } from './pages/DashboardPage';
import { LabPage } from './pages/LabPage';

const PASSWORD = 'e2e-instructor-password';
// Markup in a name must show up as text everywhere, never run.
const ANN = '<img src=x onerror="window.__xss=1">Ann';
const BOB = 'Bob';

async function joinClass(browser: Browser, code: string, name: string): Promise<LabPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/join/${code}`);
  await expect(page.locator('#join-form')).toBeVisible();
  await expectAccessible(page, 'the join page');
  await page.locator('#display-name').fill(name);
  await page.getByRole('button', { name: 'Join and start the lab' }).click();
  await page.waitForURL(/\/lab\?session=/);
  return new LabPage(page);
}

test.describe.configure({ mode: 'serial' });

test('an instructor runs a class: live progress, read-only terminals, CSV grades, and learners kept out', async ({
  browser,
  page,
}) => {
  // A whole class's afternoon in one test: on a loaded host it takes more than the default budget.
  test.setTimeout(480_000);
  // 1. The instructor signs in (setting the password on this fresh server) and creates a class.
  await page.goto('/instructor');
  await expect(page.locator('#login-form')).toBeVisible();
  await expectAccessible(page, 'the instructor sign-in');
  const dashboard = await DashboardPage.signIn(page, PASSWORD);
  await expectAccessible(page, 'the dashboard');
  const code = await dashboard.createClass('E2E class');
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
  // The grades API token is not in plain view on a projected dashboard: masked until asked for.
  expect(await dashboard.apiTokenText()).toMatch(/^•+$/);
  const token = await dashboard.showApiToken();
  expect(token).not.toMatch(/•/);
  expect(token.length).toBeGreaterThanOrEqual(20);
  await page.getByRole('button', { name: 'Hide token' }).click();
  expect(await dashboard.apiTokenText()).toMatch(/^•+$/);

  // 2. Two learners join in their own browser contexts and each gets a lab.
  const ann = await joinClass(browser, code, ANN);
  const bob = await joinClass(browser, code, BOB);
  await expect(dashboard.rosterRows()).toHaveCount(2);
  await expect(dashboard.rosterRow(ANN)).toBeVisible();
  await expect(dashboard.rosterRow(ANN).locator('.lab-state')).toHaveText('ready');
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // 3. Ann backs up the rules and presses Check; the dashboard shows the pass without a reload.
  await expect(dashboard.matrixCell(ANN, 'backup')).toHaveAttribute('data-passed', 'false');
  // She presses Check once the copy has finished, as its output shows (the typed line never matches).
  await ann.run(
    'machine1',
    'cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-$(date +%F)_BAK && echo "copied: $(date +%F)"',
  );
  await ann.waitForText('machine1', /copied: \d{4}-\d\d-\d\d/);
  const step = ann.page.locator('li.step[data-step="backup"]');
  await step.getByRole('button', { name: 'Check' }).click();
  await expect(step.locator('.step-message')).not.toHaveText(/Checking/);
  await expect(dashboard.matrixCell(ANN, 'backup')).toHaveAttribute('data-passed', 'true');
  await expect(dashboard.rosterRow(ANN).locator('.passed-count')).toHaveText(/^1\//);

  // 4. The instructor opens Ann's read-only terminal and watches her type.
  await dashboard.openLearner(ANN);
  // Her own Check press is marked apart from the background auto-check of the same step.
  await expect(dashboard.history().filter({ hasText: 'backup · passed asked by the learner' })).toHaveCount(1);
  await expect(dashboard.history().and(page.locator('[data-trigger="check"]'))).toHaveCount(1);
  await expect(dashboard.watchPane('machine1')).toHaveAttribute('data-state', 'connected');
  // The read-only terminal fits its pane (no column cut off), and the instructor can enlarge it.
  const fitted = await dashboard.watchWidths('machine1');
  expect(fitted.screen).toBeLessThanOrEqual(fitted.pane);
  await page.getByRole('button', { name: 'Enlarge terminal' }).click();
  await expect.poll(async () => (await dashboard.watchWidths('machine1')).screen).toBeGreaterThan(fitted.screen * 1.2);
  expect((await dashboard.watchWidths('machine1')).screen).toBeLessThanOrEqual(
    (await dashboard.watchWidths('machine1')).pane,
  );
  await ann.run('machine1', 'echo watching-$((6*7))');
  await expect.poll(() => dashboard.watchScreen('machine1'), { timeout: 15_000 }).toContain('watching-42');
  // Keys pressed in the instructor's view never reach Ann's shell.
  await dashboard.watchPane('machine1').click();
  await page.keyboard.type('echo instructor-typed\n');
  await ann.run('machine1', 'echo after-$((1+1))');
  await ann.waitForText('machine1', /after-2/);
  expect(await ann.screen('machine1')).not.toContain('instructor-typed');
  // The instructor can also look at Ann's firewall, live.
  await page.locator('#watch-tabs button', { hasText: 'Firewall' }).click();
  await expect(page.locator('#watch .fw-chain[data-chain="RH-Firewall-1-INPUT"]')).toBeVisible();
  await page.locator('#watch-tabs button[data-machine="machine1"]').click();

  // 5. The CSV has exactly one pass: Ann's backup.
  const classId = await dashboard.classId;
  const csv = (await dashboard.exportCsv()).trimEnd().split('\r\n');
  const header = csv[0]?.split(',') ?? [];
  expect(header[0]).toBe('Learner');
  expect(header.slice(-2)).toEqual(['Total', 'Last activity']);
  const rows = csv.slice(1).map((line) => line.split(','));
  expect(rows.map((r) => r[0])).toEqual([`"${ANN.replace(/"/g, '""')}"`, BOB]);
  const backupCol = header.indexOf('backup');
  const steps = header.slice(1, -2);
  for (const [who, row] of rows.entries()) {
    steps.forEach((id, i) => {
      const cell = row[i + 1] ?? '';
      if (who === 0 && id === 'backup') expect(cell).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      else expect(cell, `${id} of learner ${who}`).toBe('');
    });
    expect(row[header.length - 2]).toBe(who === 0 ? '1' : '0');
  }
  expect(backupCol).toBeGreaterThan(0);

  // 6. A learner can open neither the instructor's pages nor another learner's terminal.
  await expectLearnerKeptOut(bob.page, classId, ann.sessionId);

  // 7. The instructor resets Ann's lab: her page is told at once, by whom, and every address follows.
  await expectAccessible(page, 'the dashboard with a learner open');
  await dashboard.resetOpenLearner();
  await expect(ann.notice()).toContainText('Your instructor reset the lab');
  const annSession = await ann.session();
  for (const machine of annSession.machines) {
    for (const address of Object.values(machine.addresses)) await expect(ann.tab(machine.id)).toContainText(address);
  }
  await ann.waitForText('machine1', /\[root@machine1 [^\]]*\]#/, 30_000);

  // The instructor writes to the class: it appears on the learner's page at once.
  await dashboard.sendMessage('Look at step 4 together in five minutes');
  await expect(ann.notice()).toContainText('Message from your instructor: Look at step 4 together in five minutes');

  // 8. Ending the class ends everything at once: the learners' pages, the button, the join page.
  await dashboard.endClass();
  await expect(dashboard.rosterRow(BOB).locator('.lab-state')).toHaveText('ended');
  await expect(page.locator('#end-class')).toBeDisabled();
  await expect(ann.endedDialog()).toBeVisible();
  await expect(ann.endedDialog()).toContainText('Your instructor ended this lab');
  await expect(ann.page.locator('#tabs .tab')).toHaveCount(0);
  await expectAccessible(ann.page, 'the lab page after the end');
  await bob.page.goto(`/join/${code}`);
  await expect(bob.page.locator('#status')).toHaveText('This class has ended');
  await expect(bob.page.locator('#join-form')).toBeHidden();
  await expectAccessible(bob.page, 'the join page of an ended class');
  await ann.page.context().close();
  await bob.page.context().close();
});

async function expectLearnerKeptOut(page: Page, classId: string, otherSessionId: string): Promise<void> {
  await page.goto('/dashboard');
  await page.waitForURL(/\/instructor$/);
  await expect(page.locator('#roster')).toHaveCount(0);
  expect((await page.request.get('/api/instructor/classes')).status()).toBe(401);
  expect((await page.request.get(`/api/instructor/classes/${classId}/grades.csv`)).status()).toBe(401);
  const closeCode = await page.evaluate(async (sessionId) => {
    const ws = new WebSocket(`ws://${location.host}/ws/sessions/${sessionId}/terminals/machine1`);
    return new Promise<number>((resolve) => ws.addEventListener('close', (event) => resolve(event.code)));
  }, otherSessionId);
  expect(closeCode).toBe(4004);
  const watch = await page.evaluate(async (sessionId) => {
    const ws = new WebSocket(`ws://${location.host}/ws/instructor/watch/${sessionId}/machine1`);
    return new Promise<string>((resolve) => {
      ws.addEventListener('open', () => resolve('open'));
      ws.addEventListener('close', () => resolve('refused'));
    });
  }, otherSessionId);
  expect(watch).toBe('refused');
}
