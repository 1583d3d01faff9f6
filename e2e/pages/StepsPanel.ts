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

  async check(stepId: string): Promise<string> {
    await this.reveal();
    const card = this.step(stepId);
    await card.getByRole('button', { name: 'Check' }).click();
    await expect(card.locator('.step-message')).not.toHaveText(/^(Checking…)?$/, { timeout: 20_000 });
    return (await card.locator('.step-message').textContent()) ?? '';
  }
}
