import { expect, type Locator, type Page } from '@playwright/test';

/** The Firewall tab of the lab page: Machine 1's chains, its rules file, trace and what-if. */
export class FirewallPage {
  constructor(readonly page: Page) {}

  get tab(): Locator {
    return this.page.locator('#tab-firewall');
  }

  get view(): Locator {
    return this.page.locator('#pane-firewall .fw-view');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.view).toBeVisible();
    await expect(this.chain('RH-Firewall-1-INPUT')).toBeVisible();
  }

  /** The view as the README shows it: wide enough for the chains and the file side by side. */
  async screenshot(path: string): Promise<void> {
    const size = this.page.viewportSize();
    await this.page.setViewportSize({ width: 1600, height: 1500 });
    await this.view.evaluate((view) => view.parentElement?.scrollTo(0, 0));
    await this.page.screenshot({ path });
    if (size) await this.page.setViewportSize(size);
  }

  chain(name: string): Locator {
    return this.view.locator(`.fw-chain[data-chain="${name}"]`);
  }

  /** A rule of a chain by its 1-based number. */
  rule(chain: string, number: number): Locator {
    return this.chain(chain).locator(`.fw-rule[data-number="${number}"]`);
  }

  /** A rule's packet counter, as the page shows it right now. */
  async packets(chain: string, number: number): Promise<number> {
    return Number(await this.rule(chain, number).getAttribute('data-packets'));
  }

  fileLine(n: number): Locator {
    return this.view.locator(`.fw-file .fw-line[data-line="${n}"]`);
  }

  get notice(): Locator {
    return this.view.locator('.fw-notice');
  }

  get trace(): Locator {
    return this.view.locator('.fw-trace');
  }

  get whatIf(): Locator {
    return this.view.locator('.fw-whatif');
  }

  async startTrace(options: { from: string; protocol: string; packets: number }): Promise<void> {
    const from = this.trace.getByLabel('From');
    const value = await from.locator('option', { hasText: options.from }).first().getAttribute('value');
    await from.selectOption(value ?? '');
    await this.trace.getByLabel('Protocol').selectOption(options.protocol);
    await this.trace.getByLabel('Packets').fill(String(options.packets));
    await this.trace.getByRole('button', { name: 'Start trace' }).click();
  }

  async ask(options: { from: string; protocol: string; port: number }): Promise<void> {
    const from = this.whatIf.getByLabel('A packet from');
    const value = await from.locator('option', { hasText: options.from }).first().getAttribute('value');
    await from.selectOption(value ?? '');
    await this.whatIf.getByLabel('Protocol').selectOption(options.protocol);
    await this.whatIf.getByLabel('Port').fill(String(options.port));
    await this.whatIf.getByRole('button', { name: 'Ask' }).click();
  }
}
