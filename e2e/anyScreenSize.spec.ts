import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { LabPage } from './pages/LabPage';

/** A phone as a learner holds it: touch, 390×844, the lab page loaded on it. */
async function openOnPhone(
  browser: Browser,
  from: BrowserContext,
  url: string,
  beforeLoad: (page: Page) => Promise<unknown> = async () => undefined,
): Promise<LabPage> {
  const phone = await browser.newContext({
    storageState: await from.storageState(),
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  const mobile = new LabPage(await phone.newPage());
  await beforeLoad(mobile.page);
  await mobile.page.goto(url);
  return mobile;
}

/** The lab page from a phone to a tablet: one pane at a time, terminals that fit, keys a phone lacks. One lab for all. */
test.describe.serial('the lab page at any screen size', () => {
  let context: BrowserContext;
  let page: Page;
  let lab: LabPage;

  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext();
    page = await context.newPage();
    lab = await LabPage.start(page);
    await lab.waitConnected('machine1');
    await lab.waitForText('machine1', /\[root@machine1 [^\]]*\]#/);
  });

  test.afterAll(async () => {
    await lab?.end();
    await context?.close();
  });

  test('one pane at a time at 390x844 and 768x1024, and the terminals fit from their first frame', async () => {
    for (const size of [
      { width: 390, height: 844 },
      { width: 768, height: 1024 },
    ]) {
      await page.setViewportSize(size);
      await lab.showPane('Instructions');
      await expect(page.locator('#instructions')).toBeVisible();
      await expect(lab.terminal('machine2')).toBeHidden();
      expect(
        await lab.horizontalOverflow(),
        `sideways at ${size.width}px: ${(await lab.overflowing()).join(', ')}`,
      ).toBeLessThanOrEqual(0);
      // The terminals were hidden while the window changed size: they must fit from the first frame
      // they are shown, or the first command typed runs at the old width.
      const shown = await lab.showTerminalsAndMeasure();
      expect(shown.overflow, `sideways right after showing the terminals at ${size.width}px`).toBeLessThanOrEqual(0);
      expect(shown.rowsWiderThanPane, `terminal rows wider than their pane at ${size.width}px`).toBeLessThanOrEqual(0);
      await expect(page.locator('#instructions')).toBeHidden();
      const terminals = await page.locator('#terminals').boundingBox();
      expect(terminals?.height ?? 0, `terminal height at ${size.width}x${size.height}`).toBeGreaterThan(
        size.height * 0.6,
      );
      await lab.run('machine2', `clear; echo "cols-at-${size.width}=$(tput cols)"`);
      const cols = await lab.waitForText('machine2', new RegExp(`cols-at-${size.width}=(\\d+)`));
      expect(Number(cols[1])).toBeGreaterThanOrEqual(size.width < 500 ? 40 : 80);
      expect(await lab.horizontalOverflow()).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  test('a phone opens on the instructions, and its key bar types Esc, Tab, Ctrl+C and a sticky Ctrl', async ({
    browser,
  }) => {
    const mobile = await openOnPhone(browser, context, page.url());
    try {
      const panes = mobile.page.getByRole('navigation', { name: 'Panes' });
      await expect(panes.getByRole('button', { name: 'Instructions' })).toHaveAttribute('aria-pressed', 'true');
      await expect(mobile.page.locator('#instructions')).toBeVisible();
      await mobile.run('machine1', 'cat -vT');
      const keys = mobile.page.getByRole('toolbar', { name: 'Terminal keys' });
      await keys.getByRole('button', { name: 'Escape' }).tap();
      await keys.getByRole('button', { name: 'Tab' }).tap();
      await expect(mobile.input('machine1')).toBeFocused();
      await mobile.page.keyboard.press('Enter');
      await mobile.waitForText('machine1', /\^\[\^I/);
      await keys.getByRole('button', { name: 'Control C (interrupt)' }).tap();
      const ctrl = keys.getByRole('button', { name: /^Control \(/ });
      await ctrl.tap();
      // The phone keyboard stays up: the next letter goes to the terminal, as Control+L.
      await expect(ctrl).toHaveAttribute('aria-pressed', 'true');
      await expect(mobile.input('machine1')).toBeFocused();
      await mobile.page.keyboard.type('l');
      await expect(ctrl).toHaveAttribute('aria-pressed', 'false');
      await mobile.page.keyboard.type('echo touch-$((2*21))');
      await mobile.page.keyboard.press('Enter');
      await mobile.waitForText('machine1', /^touch-42$/m);
    } finally {
      await mobile.page.context().close();
    }
  });

  test('a phone whose first read of the lab is lost to a network change still builds the page', async ({ browser }) => {
    // What Chromium reports when the network changes under a request (a phone changing networks;
    // here, Docker adding a bridge): the page's client reads again.
    let lost = 0;
    const mobile = await openOnPhone(browser, context, page.url(), (phone) =>
      phone.route(/\/api\/sessions\/[^/?]+$/, (route) =>
        lost++ === 0 ? route.abort('internetdisconnected') : route.fallback(),
      ),
    );
    try {
      await mobile.run('machine1', 'echo read-again-$((6*7))');
      await mobile.waitForText('machine1', /^read-again-42$/m);
      expect(lost, 'reads of the session').toBeGreaterThanOrEqual(2);
    } finally {
      await mobile.page.context().close();
    }
  });
});
