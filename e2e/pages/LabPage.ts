import { expect, type Locator, type Page } from '@playwright/test';
import { onePaneAtATime } from './panes';

export interface SessionJson {
  id: string;
  machines: { id: string; label: string; addresses: Record<string, string>; terminalUrl: string }[];
  networks: { id: string; subnet: string }[];
  links: { end: string };
}

/** The lab page as a learner sees it: machine tabs with terminals, and the lab controls. */
export class LabPage {
  constructor(readonly page: Page) {}

  /** A lab's Start (or Resume) button on the landing page; the first lab unless another is named. */
  static startButton(page: Page, labId = 'iptables-single-server'): Locator {
    return page.locator(`li[data-lab-id="${labId}"]`).getByRole('button', { name: /Start lab|Resume lab/ });
  }

  /** Opens the landing page, signed in as a guest (one click when not yet signed in). */
  static async signIn(page: Page): Promise<void> {
    await page.goto('/');
    const guest = page.getByRole('button', { name: 'Start as guest' });
    const start = LabPage.startButton(page);
    await expect(guest.or(start).first()).toBeVisible();
    if (await guest.isVisible()) await guest.click();
    await expect(start).toBeVisible();
  }

  /** From the landing page: sign in if needed, then "Start lab". */
  static async start(page: Page, labId?: string): Promise<LabPage> {
    await LabPage.signIn(page);
    return LabPage.clickStart(page, labId);
  }

  /** The one click a signed-in learner makes on the landing page. */
  static async clickStart(page: Page, labId?: string): Promise<LabPage> {
    await LabPage.startButton(page, labId).click();
    await page.waitForURL(/\/lab\?session=/);
    return new LabPage(page);
  }

  /** Joins a class on its join page under a display name, which starts the class's lab. */
  static async join(page: Page, code: string, displayName: string): Promise<LabPage> {
    await page.goto(`/join/${code}`);
    await page.locator('#display-name').fill(displayName);
    await page.getByRole('button', { name: 'Join and start the lab' }).click();
    await page.waitForURL(/\/lab\?session=/);
    return new LabPage(page);
  }

  get sessionId(): string {
    return new URL(this.page.url()).searchParams.get('session') ?? '';
  }

  async session(): Promise<SessionJson> {
    const res = await this.page.request.get(`/api/sessions/${this.sessionId}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as SessionJson;
  }

  /** A machine's address on one of the lab's networks, as the session says now. */
  async address(machineId: string, network = 'lan'): Promise<string> {
    const found = (await this.session()).machines.find((m) => m.id === machineId)?.addresses[network];
    if (!found) throw new Error(`${machineId} has no address on ${network}`);
    return found;
  }

  tab(machineId: string): Locator {
    return this.page.locator(`#tabs .tab[data-machine="${machineId}"]`);
  }

  terminal(machineId: string): Locator {
    return this.page.locator(`.term-pane[data-machine="${machineId}"]`);
  }

  /** xterm's hidden input, which has the keyboard focus while the learner types in that terminal. */
  input(machineId: string): Locator {
    return this.terminal(machineId).locator('.xterm-helper-textarea');
  }

  /** The banner that tells the learner what happened to their lab (e.g. who reset it). */
  notice(): Locator {
    return this.page.locator('#notice');
  }

  /** The warning before the lab sleeps or reaches its time limit. */
  idleBanner(): Locator {
    return this.page.locator('#idle');
  }

  /** Shown over the terminals while fresh machines start (a reset). */
  resettingPanel(): Locator {
    return this.page.locator('#resetting');
  }

  asleepPanel(): Locator {
    return this.page.locator('#asleep');
  }

  /** Reset, Sleep and End: what can happen to the whole lab. */
  lifeButtons(): Locator[] {
    return ['Reset lab', 'Sleep', 'End lab'].map((name) =>
      this.page.locator('header.bar').getByRole('button', { name, exact: true }),
    );
  }

  /** On narrow screens: the badge on the Instructions switch that says a step passed. */
  passBadge(): Locator {
    return this.page.getByRole('navigation', { name: 'Panes' }).locator('.pane-badge');
  }

  helpDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Using the terminals' });
  }

  endedDialog(): Locator {
    return this.page.locator('dialog#ended');
  }

  /** On narrow screens: the instructions or the terminals. */
  async showPane(name: 'Instructions' | 'Terminals'): Promise<void> {
    const button = this.page.getByRole('navigation', { name: 'Panes' }).getByRole('button', { name });
    await button.click();
    await expect(button).toHaveAttribute('aria-pressed', 'true');
  }

  /** Elements that stick out to the right of the window: what to fix when the page scrolls sideways. */
  overflowing(): Promise<string[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('body *')]
        .filter(
          (el) =>
            el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 &&
            el.getClientRects().length > 0,
        )
        .slice(0, 8)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}#${el.id}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`,
        ),
    );
  }

  /**
   * Shows the terminals and reads, two frames later (before any debounced refit could run), how far
   * the page scrolls sideways and how wide the active terminal's rows are against its pane.
   */
  async showTerminalsAndMeasure(): Promise<{ overflow: number; rowsWiderThanPane: number }> {
    return this.page.evaluate(async () => {
      document.querySelector<HTMLButtonElement>('.pane-switch button[data-pane="console"]')?.click();
      for (let frame = 0; frame < 2; frame++) await new Promise((done) => requestAnimationFrame(done));
      const pane = document.querySelector<HTMLElement>('.term-pane.active');
      const rows = pane?.querySelector<HTMLElement>('.xterm-screen');
      return {
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        rowsWiderThanPane: (rows?.getBoundingClientRect().width ?? 0) - (pane?.clientWidth ?? 0),
      };
    });
  }

  /** How far the page scrolls sideways (0 or less: it fits). */
  horizontalOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  /** Reset lab, confirmed in the page's dialog. */
  async resetFromPage(): Promise<void> {
    await this.page.getByRole('button', { name: 'Reset lab' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Reset the lab?' });
    await dialog.getByRole('button', { name: 'Reset lab' }).click();
    await expect(dialog).toBeHidden();
  }

  /** A reset's fresh machines are up: its panel goes (it takes a while on a busy host). */
  async waitResetDone(): Promise<void> {
    await expect(this.resettingPanel()).toBeHidden({ timeout: 90_000 });
  }

  /** A terminal connects once its machine is up: after a start, reset or resume that takes a while on a busy host. */
  async waitConnected(machineId: string): Promise<void> {
    await expect(this.terminal(machineId)).toHaveAttribute('data-state', 'connected', { timeout: 60_000 });
  }

  /** Switches to the machine's tab and focuses xterm's input textarea. */
  async focus(machineId: string): Promise<void> {
    // On a narrow screen the terminals are a pane of their own.
    if (await onePaneAtATime(this.page)) await this.showPane('Terminals');
    await this.tab(machineId).click();
    await this.waitConnected(machineId);
    await this.terminal(machineId).locator('.xterm-helper-textarea').focus();
  }

  /** Types a command line and presses Enter, as the learner would. */
  async run(machineId: string, command: string): Promise<void> {
    await this.focus(machineId);
    await this.page.keyboard.type(command);
    await this.page.keyboard.press('Enter');
  }

  /** The rows xterm currently shows for that machine. */
  async screen(machineId: string): Promise<string> {
    const text = await this.terminal(machineId).locator('.xterm-rows').innerText();
    return text.replace(/\u00a0/g, ' ');
  }

  async waitForText(machineId: string, pattern: RegExp, timeout = 30_000): Promise<RegExpMatchArray> {
    let match: RegExpMatchArray | null = null;
    await expect
      .poll(
        async () => {
          match = (await this.screen(machineId)).match(pattern);
          return match !== null;
        },
        { timeout, intervals: [100], message: `terminal ${machineId} shows ${String(pattern)}` },
      )
      .toBe(true);
    return match as unknown as RegExpMatchArray;
  }

  /** Ends the lab; the server answers once its machines are gone, which a loaded host takes a while to do. */
  async end(): Promise<void> {
    await this.page.request.delete(`/api/sessions/${this.sessionId}`, { timeout: 180_000 });
  }
}
