import { expect, type Locator, type Page } from '@playwright/test';

/** The instructor's side: sign-in (or first-start setup), classes, roster, matrix, drill-down. */
export class DashboardPage {
  constructor(readonly page: Page) {}

  /** Opens /instructor and signs in, choosing the password first if this server has none yet. */
  static async signIn(page: Page, password: string): Promise<DashboardPage> {
    await page.goto('/instructor');
    const form = page.locator('#login-form');
    await expect(form).toBeVisible();
    await page.locator('#password').fill(password);
    if (await page.locator('#confirm-row').isVisible()) await page.locator('#password2').fill(password);
    await page.locator('#login-submit').click();
    // Another spec (e2e runs two workers) may have chosen the password a moment before: sign in.
    const taken = page.locator('#status', { hasText: 'already set' });
    await expect(page.locator('#class-name').or(taken)).toBeVisible();
    if (await taken.isVisible()) return DashboardPage.signIn(page, password);
    await page.waitForURL(/\/dashboard/);
    await expect(page.locator('#status')).not.toHaveText(/could not load/);
    return new DashboardPage(page);
  }

  /** Creates a class (for the first lab unless a lab's title is given) and waits for its live view; returns the join code. */
  async createClass(name: string, labTitle?: string): Promise<string> {
    await this.page.locator('#class-name').fill(name);
    if (labTitle) await this.page.locator('#class-lab').selectOption({ label: labTitle });
    await this.page.getByRole('button', { name: 'Create class' }).click();
    await expect(this.page.locator('#class-title')).toHaveText(name);
    await expect(this.page.locator('#live')).toHaveText('Live');
    return (await this.page.locator('#join-code').innerText()).trim();
  }

  /** The class API token as the dashboard shows it now (masked until Show is pressed). */
  apiTokenText(): Promise<string> {
    return this.page.locator('#api-token').innerText();
  }

  async showApiToken(): Promise<string> {
    await this.page.getByRole('button', { name: 'Show token' }).click();
    await expect(this.page.getByRole('button', { name: 'Hide token' })).toHaveAttribute('aria-pressed', 'true');
    return this.apiTokenText();
  }

  get classId(): Promise<string> {
    return this.page
      .locator('#class')
      .getAttribute('data-class-id')
      .then((id) => id ?? '');
  }

  rosterRows(): Locator {
    return this.page.locator('#roster tbody tr[data-learner-id]');
  }

  rosterRow(displayName: string): Locator {
    return this.rosterRows().filter({ has: this.page.getByRole('button', { name: displayName, exact: true }) });
  }

  /** The matrix cell of a learner (by display name) and step. */
  matrixCell(displayName: string, stepId: string): Locator {
    const exact = new RegExp(`^${displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    return this.page
      .locator('#matrix tbody tr')
      .filter({ has: this.page.locator('th', { hasText: exact }) })
      .locator(`td[data-step="${stepId}"]`);
  }

  /** How far the page itself is wider than the window (wide tables must scroll in their own box). */
  sidewaysOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  }

  async openLearner(displayName: string): Promise<void> {
    await this.rosterRow(displayName).getByRole('button', { name: displayName, exact: true }).click();
    await expect(this.page.locator('#learner-name')).toHaveText(displayName);
  }

  history(): Locator {
    return this.page.locator('#history li');
  }

  watchPane(machineId: string): Locator {
    return this.page.locator(`#watch .watch-pane[data-machine="${machineId}"]`);
  }

  /** How wide the read-only terminal's screen is drawn, and how wide its pane is. */
  async watchWidths(machineId: string): Promise<{ screen: number; pane: number }> {
    const screen = await this.watchPane(machineId).locator('.xterm-screen').boundingBox();
    const pane = await this.page.locator('#watch').boundingBox();
    return { screen: screen?.width ?? 0, pane: pane?.width ?? 0 };
  }

  /** What the read-only view of that machine shows now (xterm only paints while on screen). */
  async watchScreen(machineId: string): Promise<string> {
    await this.watchPane(machineId).scrollIntoViewIfNeeded();
    return (await this.watchPane(machineId).locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' ');
  }

  async exportCsv(): Promise<string> {
    const href = await this.page.locator('#export-csv').getAttribute('href');
    const res = await this.page.request.get(href ?? '');
    expect(res.status()).toBe(200);
    return res.text();
  }

  /** Answers the dashboard's confirm dialog with its OK button. */
  private async confirm(title: RegExp, ok: string): Promise<void> {
    const dialog = this.page.getByRole('dialog', { name: title });
    await dialog.getByRole('button', { name: ok }).click();
    await expect(dialog).toBeHidden();
  }

  /** Resets the open learner's lab (see openLearner). */
  async resetOpenLearner(): Promise<void> {
    await this.page.locator('#reset-learner').click();
    await this.confirm(/^Reset .*'s lab\?$/, 'Reset lab');
    await expect(this.page.locator('#status')).toHaveText('The lab was reset.', { timeout: 90_000 });
  }

  /** Removes the open learner from the class (see openLearner). */
  async removeOpenLearner(displayName: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Remove from class' }).click();
    await this.confirm(/^Remove .* from the class\?$/, 'Remove from class');
    await expect(this.page.locator('#status')).toHaveText(`${displayName} was removed from the class.`, {
      timeout: 60_000,
    });
  }

  /** A message to the whole class, or to one learner by display name. */
  async sendMessage(text: string, to = 'the whole class'): Promise<void> {
    await this.page.locator('#message-text').fill(text);
    await this.page.locator('#message-to').selectOption({ label: to });
    await this.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(this.page.locator('#status')).toHaveText(/^Message sent to \d+ running lab/);
  }

  async endClass(): Promise<void> {
    await this.page.locator('#end-class').click();
    await this.confirm(/^End the class\?$/, 'End class');
    await expect(this.page.locator('#status')).toHaveText(/Class ended/);
  }
}
