import { expect, test, type BrowserContext, type Page, type WebSocketRoute } from '@playwright/test';
import { ClientOp, ServerOp } from '../protocol/terminal';
import { expectAccessible } from './pages/a11y';
import { LabPage } from './pages/LabPage';
import { PageTraffic } from './pages/PageTraffic';
import { StepsPanel } from './pages/StepsPanel';

const shot = (name: string): string => `test-results/pushed-page-${name}.png`;

/**
 * The lab page is pushed to: what happens to the lab (verdicts, warnings, resets, sleep) comes on
 * its event socket, so an idle page asks nothing; and the rough edges a learner met on it. One lab.
 */
test.describe.serial('a lab page that is pushed to', () => {
  let context: BrowserContext;
  let page: Page;
  let lab: LabPage;
  let steps: StepsPanel;
  let traffic: PageTraffic;

  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext();
    page = await context.newPage();
    traffic = new PageTraffic(page);
    lab = await LabPage.start(page);
    steps = new StepsPanel(page);
    await lab.waitConnected('machine1');
    await lab.waitForText('machine1', /\[root@machine1 [^\]]*\]#/);
    await expect(steps.step('tour')).toBeVisible();
  });

  test.afterAll(async () => {
    await lab.end();
    await context.close();
  });

  test('an idle lab page makes no HTTP request in 30 s', async () => {
    const since = traffic.mark();
    await page.waitForTimeout(30_000);
    expect(since.requests()).toEqual([]);
  });

  test('Alt+S goes from a terminal to the current step’s question; the help says so, and that idle labs sleep', async () => {
    await lab.focus('machine1');
    await page.keyboard.press('Alt+S');
    await expect(steps.step('tour').locator('input[name="jump"]')).toBeFocused();
    // The skip link: Alt+0 leaves the terminal for the tabs, one Shift+Tab reaches the link.
    await lab.focus('machine1');
    await page.keyboard.press('Alt+0');
    await expect(lab.tab('machine1')).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(page.getByRole('link', { name: /Go to the current step/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(steps.step('tour').locator('input[name="jump"]')).toBeFocused();

    await page.getByRole('button', { name: 'Help' }).click();
    await expect(lab.helpDialog()).toContainText('Alt+S goes to the current step');
    await expect(lab.helpDialog()).toContainText('put to sleep');
    await expect(lab.helpDialog()).not.toContainText('then ended');
    await lab.helpDialog().getByRole('button', { name: 'Close' }).click();
  });

  test('verdicts reach the page over the event socket; on a phone a pass shows on the Instructions switch', async () => {
    await steps.step('tour').locator('input[name="jump"]').fill('RH-Firewall-1-INPUT');
    await steps.step('tour').locator('input[name="last"]').fill('It rejects the packet (icmp-host-prohibited)');
    const checked = traffic.mark();
    await steps.check('tour');
    await expect(steps.step('tour')).toHaveAttribute('data-status', 'passed');
    // The Check button sends the check; the steps it changed come pushed, not fetched.
    expect(checked.requests()).toEqual([`POST /api/sessions/${lab.sessionId}/steps/tour/check`]);
    expect(checked.events()).toContainEqual(
      expect.objectContaining({ type: 'verdict', verdict: expect.objectContaining({ stepId: 'tour', passed: true }) }),
    );

    await page.setViewportSize({ width: 390, height: 780 });
    const auto = traffic.mark();
    await lab.run('machine1', 'cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-$(date +%Y-%m-%d)_BAK');
    // The auto-check after the command: its verdict is pushed, and the terminals pane says so.
    await expect(lab.passBadge()).toHaveText('✓ Step 2 passed', { timeout: 20_000 });
    await expect(lab.terminal('machine1')).toBeVisible();
    await page.screenshot({ path: shot('phone-pass-badge') });
    expect(auto.events()).toContainEqual(
      expect.objectContaining({
        type: 'verdict',
        verdict: expect.objectContaining({ stepId: 'backup', passed: true, trigger: 'auto' }),
      }),
    );
    expect(auto.requests()).toEqual([]);
    await lab.showPane('Instructions');
    await expect(lab.passBadge()).toBeHidden();
    await expect(steps.step('backup')).toHaveAttribute('data-status', 'passed');
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  test('a reset shows its progress with the lab buttons off, refuses a second reset, then gives the terminal the keyboard', async () => {
    await lab.focus('machine1');
    const reset = traffic.mark();
    await lab.resetFromPage();
    await expect(lab.resettingPanel()).toBeVisible();
    await expect.poll(() => reset.events().map((e) => e.type)).toContain('resetting');
    await expect(lab.resettingPanel()).toContainText('Fresh machines are starting');
    for (const button of lab.lifeButtons()) await expect(button).toBeDisabled();
    const second = await page.request.post(`/api/sessions/${lab.sessionId}/reset`, {
      headers: { origin: new URL(page.url()).origin },
    });
    expect(second.status()).toBe(409);
    await page.screenshot({ path: shot('resetting') });
    await expectAccessible(page, 'the lab page while it resets');

    await lab.waitResetDone();
    for (const button of lab.lifeButtons()) await expect(button).toBeEnabled();
    await expect(lab.input('machine1')).toBeFocused();
    await lab.waitConnected('machine1');
    await lab.waitForText('machine1', /\[root@machine1 [^\]]*\]#/);
    // A space goes to the shell, not to the Reset button (which would open its dialog again).
    await page.keyboard.type(' echo after-reset-$((6*7))');
    await page.keyboard.press('Enter');
    await lab.waitForText('machine1', /^after-reset-42$/m);
    await expect(page.getByRole('dialog', { name: 'Reset the lab?' })).toBeHidden();
  });

  test('the asleep panel is readable (axe) and Resume gives the terminal the keyboard', async () => {
    await page.locator('header.bar').getByRole('button', { name: 'Sleep', exact: true }).click();
    await expect(lab.asleepPanel()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled({ timeout: 30_000 });
    await page.screenshot({ path: shot('asleep') });
    await expectAccessible(page, 'the lab page with its lab asleep');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(lab.asleepPanel()).toBeHidden({ timeout: 60_000 });
    await expect(lab.input('machine1')).toBeFocused();
    await lab.waitConnected('machine1');
  });

  test('the shell takes the size the page asked for last, even one sent before the shell was attached', async () => {
    const { terminalUrl } = (await lab.session()).machines.find((m) => m.id === 'machine2') ?? { terminalUrl: '' };
    const size = await page.evaluate(
      async ({ url, op }) => {
        const encoder = new TextEncoder();
        const frame = (code: number, text: string): Uint8Array => new Uint8Array([code, ...encoder.encode(text)]);
        const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + url);
        ws.binaryType = 'arraybuffer';
        let output = '';
        const answer = new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no size in: ${output.slice(-300)}`)), 20_000);
          ws.onmessage = (message: MessageEvent<ArrayBuffer>) => {
            const data = new Uint8Array(message.data);
            if (data[0] === op.READY) ws.send(frame(op.INPUT, 'echo size-$(stty size | tr " " x)\r'));
            if (data[0] !== op.OUTPUT) return;
            output += new TextDecoder().decode(data.subarray(1));
            const found = /size-(\d+x\d+)/.exec(output);
            if (found?.[1]) {
              clearTimeout(timer);
              resolve(found[1]);
            }
          };
        });
        await new Promise((opened) => (ws.onopen = opened));
        // As the page did: a provisional size, then the fitted one right after.
        ws.send(frame(op.HELLO, JSON.stringify({ cols: 64, rows: 20 })));
        ws.send(frame(op.RESIZE, JSON.stringify({ cols: 94, rows: 30 })));
        try {
          return await answer;
        } finally {
          ws.close();
        }
      },
      { url: terminalUrl, op: { HELLO: ClientOp.HELLO, RESIZE: ClientOp.RESIZE, INPUT: ClientOp.INPUT, ...ServerOp } },
    );
    expect(size).toBe('30x94');
  });

  test('after a lost event socket the page re-syncs once, from what the server pushes on reconnect', async () => {
    const next = await context.newPage();
    const nextTraffic = new PageTraffic(next);
    let connections = 0;
    let firstSocket: WebSocketRoute | undefined;
    let letSecondIn: () => void = () => undefined;
    const secondMayConnect = new Promise<void>((resolve) => (letSecondIn = resolve));
    const afterReconnect: string[] = [];
    await next.routeWebSocket(/\/events$/, async (ws) => {
      connections++;
      if (connections === 1) {
        firstSocket = ws;
        ws.connectToServer();
        return;
      }
      await secondMayConnect;
      const server = ws.connectToServer();
      server.onMessage((message) => {
        if (typeof message === 'string') afterReconnect.push((JSON.parse(message) as { type: string }).type);
        ws.send(message);
      });
    });
    await next.goto(page.url());
    const again = new LabPage(next);
    const againSteps = new StepsPanel(next);
    await again.waitConnected('machine1');
    await expect(againSteps.step('rule-order')).toHaveAttribute('data-status', 'not-checked');

    const since = nextTraffic.mark();
    await firstSocket?.close({ code: 1011, reason: 'gone for a moment' });
    // A check while the page is away: only the reconnect can tell the page about it.
    const check = await next.request.post(`/api/sessions/${lab.sessionId}/steps/rule-order/check`, {
      headers: { origin: new URL(next.url()).origin },
      data: {},
    });
    expect(check.status()).toBe(200);
    letSecondIn();
    await expect(againSteps.step('rule-order')).toHaveAttribute('data-status', 'failed');
    expect(connections).toBe(2);
    expect(afterReconnect).toEqual(['session', 'steps']);
    expect(since.requests().filter((r) => !r.endsWith('/check'))).toEqual([]);
    await next.close();
  });

  test('a script or an API read that fails once is retried, not left on "Loading…"', async () => {
    const url = page.url();
    for (const failing of [/\/assets\/lab-[^/]*\.js$/, new RegExp(`/api/sessions/${lab.sessionId}$`)]) {
      const next = await context.newPage();
      let failed = 0;
      await next.route(failing, async (route) => {
        if (failed++ === 0) await route.abort('internetdisconnected');
        else await route.continue();
      });
      await next.goto(url);
      const again = new LabPage(next);
      await again.waitConnected('machine1');
      await expect(next.locator('li.step').first()).toBeVisible();
      expect(failed, String(failing)).toBeGreaterThanOrEqual(2);
      await next.close();
    }
  });
});
