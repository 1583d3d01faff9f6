import { expect, type Locator, type Page } from '@playwright/test';
import { onePaneAtATime } from './panes';

/** The graded steps on the lab page: one card per step with a Check button and a message. */
export class StepsPanel {
  constructor(readonly page: Page) {}

  step(stepId: string): Locator {
    return this.page.locator(`li.step[data-step="${stepId}"]`);
  }

  message(stepId: string): Locator {
    return this.step(stepId).locator('.step-message');
  }

  /** On a narrow screen the steps are a pane of their own: shows it. */
  async reveal(): Promise<void> {
    if (!(await onePaneAtATime(this.page))) return;
    const button = this.page.getByRole('navigation', { name: 'Panes' }).getByRole('button', { name: 'Instructions' });
    await button.click();
    await expect(button).toHaveAttribute('aria-pressed', 'true');
  }

  /** The sticky bar above the steps: "N of 12", the bar, the jump list. */
  progress(): Locator {
    return this.page.locator('.steps-progress');
  }

  /** Picks a step in the progress bar's jump list, as a keyboard user would. */
  async jumpTo(stepId: string): Promise<void> {
    const jump = this.progress().getByRole('combobox', { name: 'Jump to a step' });
    await jump.focus();
    await jump.selectOption(stepId);
    await expect(this.step(stepId).locator('h3')).toBeFocused();
  }

  /** How many pixels of the element the sticky progress bar hides (0: none). */
  async hiddenUnderProgress(target: Locator): Promise<number> {
    const bar = await this.progress().boundingBox();
    const box = await target.boundingBox();
    if (!bar || !box) return Number.POSITIVE_INFINITY;
    return Math.max(0, bar.y + bar.height - box.y);
  }

  async check(stepId: string): Promise<string> {
    await this.reveal();
    const card = this.step(stepId);
    await card.getByRole('button', { name: 'Check' }).click();
    await expect(card.locator('.step-message')).not.toHaveText(/^(Checking…)?$/, { timeout: 20_000 });
    return (await card.locator('.step-message').textContent()) ?? '';
  }
}
