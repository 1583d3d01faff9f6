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
    await lab.end();
    await context.close();
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

  test('split view shows two machines side by side and is remembered', async () => {
    await lab.focus('machine2');
    await lab.focus('machine1');
    const split = page.getByRole('button', { name: 'Split view' });
    await split.click();
    await expect(split).toHaveAttribute('aria-pressed', 'true');
    const all = await page.locator('#terminals').boundingBox();
    for (const id of ['machine1', 'machine2']) {
      await expect(lab.terminal(id)).toBeVisible();
      expect((await lab.terminal(id).boundingBox())?.width ?? 0).toBeLessThan((all?.width ?? 0) * 0.6);
    }
    await lab.run('machine2', 'echo left-and-right-$((1+1))');
    await expect(lab.terminal('machine1')).toBeVisible();
    await lab.waitForText('machine2', /^left-and-right-2$/m);
    await page.reload();
    await lab.waitConnected('machine1');
    await expect(page.getByRole('button', { name: 'Split view' })).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('button', { name: 'Split view' }).click();
    await expect(lab.terminal('machine2')).toBeHidden();
  });

  test('Run types a code block into the machine it belongs to; the buttons say what they do and cover nothing', async () => {
    const block = page.locator('li.step[data-step="tour"] .code-block').first();
    await expect(block.getByRole('button', { name: 'Copy: service iptables status' })).toBeVisible();
    await lab.focus('machine2');
    await block.getByRole('button', { name: 'Run on Machine 1: service iptables status' }).click();
    await expect(lab.tab('machine1')).toHaveAttribute('aria-selected', 'true');
    await expect(lab.input('machine1')).toBeFocused();
    await lab.waitForText('machine1', /Table: filter/);
    const bar = await block.locator('.code-actions').boundingBox();
    const code = await block.locator('pre').boundingBox();
    expect((bar?.y ?? 0) + (bar?.height ?? 0)).toBeLessThanOrEqual(code?.y ?? 0);
    // Blocks that are file contents, not commands, have nothing to run.
    const rule = page.locator('li.step[data-step="drop"] .code-block').first();
    await expect(rule.getByRole('button', { name: /^Copy: -A RH-Firewall-1-INPUT/ })).toBeAttached();
    await expect(rule.getByRole('button', { name: /^Run/ })).toHaveCount(0);
  });

  test('progress stays in view: N of 12, a jump to any step, the current step shown', async () => {
    const progress = page.locator('.steps-progress');
    await expect(progress.getByRole('status')).toHaveText(/^\d+ of 12 steps passed$/);
    await expect(page.locator('li.step.current')).toBeInViewport();
    await progress.getByRole('combobox', { name: 'Jump to a step' }).selectOption('fix-file');
    await expect(page.locator('li.step[data-step="fix-file"] h3')).toBeFocused();
    await expect(page.locator('li.step[data-step="fix-file"]')).toBeInViewport();
    await expect(progress).toBeInViewport();
  });

  test('the diagram: no line crosses an address, and screen readers get machines and addresses as text', async () => {
    const session = await lab.session();
    const list = page.getByRole('list', { name: 'Lab network' });
    for (const machine of session.machines) {
      for (const address of Object.values(machine.addresses)) {
        await expect(list.getByRole('listitem').filter({ hasText: machine.label })).toContainText(address);
      }
    }
    const crossings = await page.evaluate(() => {
      const lines = [...document.querySelectorAll<SVGLineElement>('svg.topology line')];
      const texts = [...document.querySelectorAll<SVGTextElement>('svg.topology text')];
      const hits: string[] = [];
      for (const text of texts) {
        const b = text.getBBox();
        for (const line of lines) {
          const at = (name: string): number => Number(line.getAttribute(name));
          const [x1, y1, x2, y2] = [at('x1'), at('y1'), at('x2'), at('y2')];
          // Sample the segment: any point inside the text's box is a crossing.
          for (let t = 0; t <= 1; t += 0.02) {
            const x = x1 + (x2 - x1) * t;
            const y = y1 + (y2 - y1) * t;
            if (x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height) {
              hits.push(text.textContent);
              break;
            }
          }
        }
      }
      return hits;
    });
    expect(crossings).toEqual([]);
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
    await page.keyboard.press('ArrowRight');
    await expect(lab.tab('office-pc')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Home');
    await expect(lab.tab('machine1')).toBeFocused();
    await expect(lab.tab('machine1')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('main')).toHaveCount(1);
    await page.getByRole('button', { name: 'Help' }).click();
    await expect(page.getByRole('dialog', { name: 'Using the terminals' })).toContainText('Alt+0');
    await expectAccessible(page, 'the help dialog');
    // xterm's screen reader mode: an accessible copy of the terminal's rows appears.
    await page.getByRole('checkbox', { name: /Screen reader mode/ }).check();
    await page.keyboard.press('Escape');
    await expect(lab.terminal('machine1').locator('.xterm-accessibility-tree')).toBeAttached();
  });

  test('after a reset every address on the page follows the session, and the page says so', async () => {
    await lab.run('machine1', 'touch /root/before-reset');
    await lab.resetFromPage();
    await lab.waitResetDone();
    await expect(lab.notice()).toContainText('reset');
    await lab.waitForText('machine1', /\[root@machine1 [^\]]*\]#/, 30_000);
    const after = await lab.session();
    // The server keeps the address slot when it can (test/server/terminalBridge checks that); on a
    // Docker host shared with other servers the freed slot may be taken, and then the page follows.
    for (const machine of after.machines) {
      for (const address of Object.values(machine.addresses)) await expect(lab.tab(machine.id)).toContainText(address);
    }
    const machine1 = after.machines.find((m) => m.id === 'machine1')?.addresses.lan ?? 'none';
    await expect(page.locator('svg.topology')).toContainText(machine1);
    await expect(page.locator('#instructions')).toContainText(machine1);
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

  test('scripts come compressed and cached for good', async () => {
    const script = await page.locator('script[type="module"][src^="/assets/"]').first().getAttribute('src');
    const res = await page.request.get(script ?? '/missing', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-encoding']).toMatch(/^(br|gzip)$/);
    expect(res.headers()['cache-control']).toContain('immutable');
  });
});
