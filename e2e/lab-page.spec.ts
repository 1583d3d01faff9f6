import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { expectAccessible } from './pages/a11y';
import { ConsoleWatch } from './pages/ConsoleWatch';
import { LabPage } from './pages/LabPage';

/** The learner's page beyond the basics: keys, reset truth, accessibility, a quiet console. One lab for all. */
test.describe.serial('the lab page for learners', () => {
  let context: BrowserContext;
  let page: Page;
  let lab: LabPage;
  let consoleWatch: ConsoleWatch;

  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext();
    page = await context.newPage();
    consoleWatch = new ConsoleWatch(page);
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Start as guest' })).toBeVisible();
    await expectAccessible(page, 'the landing page, signed out');
    await LabPage.signIn(page);
    await expectAccessible(page, 'the landing page, signed in');
    lab = await LabPage.clickStart(page);
    await lab.waitConnected('machine1');
    await lab.waitForText('machine1', /\[root@machine1 [^\]]*\]#/);
  });

  test.afterAll(async () => {
    await lab?.end();
    await context?.close();
  });

  test('Alt+1/2/3 switch machines from inside a terminal and never reach the shell', async () => {
    await lab.run('machine1', 'cat -v');
    await expect(lab.input('machine1')).toBeFocused();
    await page.keyboard.press('Alt+2');
    await expect(lab.tab('machine2')).toHaveAttribute('aria-selected', 'true');
    await lab.waitConnected('machine2');
    await expect(lab.input('machine2')).toBeFocused();
    await page.keyboard.press('Alt+1');
    await expect(lab.tab('machine1')).toHaveAttribute('aria-selected', 'true');
    await expect(lab.input('machine1')).toBeFocused();
    await page.keyboard.type('after-switch');
    await page.keyboard.press('Enter');
    // cat -v prints an escape as ^[ — none may have reached the shell.
    await lab.waitForText('machine1', /after-switch\s+after-switch/);
    expect(await lab.screen('machine1')).not.toContain('^[');
    await page.keyboard.press('Control+C');
    await page.keyboard.press('Alt+2');
    await page.keyboard.type('echo machine2-$((40+2))');
    await page.keyboard.press('Enter');
    await lab.waitForText('machine2', /^machine2-42$/m);
    expect(await lab.screen('machine2')).not.toContain('^[');
  });

  test('is accessible: no serious axe violation, tabs with arrow keys, Alt+0 leaves the terminal', async () => {
    await expectAccessible(page, 'the lab page');
    await lab.focus('machine1');
    await page.keyboard.press('Alt+0');
    await expect(lab.tab('machine1')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(lab.tab('machine2')).toBeFocused();
    await expect(lab.tab('machine2')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel', { name: /Machine 2/ })).toBeVisible();
    await page.keyboard.press('End');
    await expect(lab.tab('office-pc')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('main')).toHaveCount(1);
    await page.getByRole('button', { name: 'Help' }).click();
    await expect(page.getByRole('dialog', { name: 'Using the terminals' })).toContainText('Alt+0');
    await expectAccessible(page, 'the help dialog');
    await page.keyboard.press('Escape');
  });

  test('a reset keeps the addresses, every label follows the session, and the page says so', async () => {
    const before = await lab.session();
    await lab.run('machine1', 'touch /root/before-reset');
    await lab.resetFromPage();
    await expect(lab.notice()).toContainText('reset');
    await lab.waitForText('machine1', /\[root@machine1 [^\]]*\]#/, 30_000);
    const after = await lab.session();
    // The same address slot: the learner's notes stay true.
    expect(after.machines.map((m) => m.addresses)).toEqual(before.machines.map((m) => m.addresses));
    for (const machine of after.machines) {
      for (const address of Object.values(machine.addresses)) await expect(lab.tab(machine.id)).toContainText(address);
    }
    await lab.run('machine1', 'ls /root/before-reset');
    await lab.waitForText('machine1', /No such file or directory/);
  });

  test('the console stays quiet: no favicon 404, no 401 for a visitor, no errors', async () => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: /Resume lab/ })).toBeVisible();
    const visitor = await context.browser()?.newContext();
    const fresh = await visitor?.newPage();
    if (!visitor || !fresh) throw new Error('no browser');
    const visitorConsole = new ConsoleWatch(fresh);
    await fresh.goto('/');
    await expect(fresh.getByRole('button', { name: 'Start as guest' })).toBeVisible();
    await visitor.close();
    expect([...consoleWatch.messages, ...visitorConsole.messages]).toEqual([]);
  });
});
