import type { Locator, Page } from '@playwright/test';

/** The summary that closes a lab once every step has passed. */
export class CompletionDialog {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Lab complete' });
  }

  get heading(): Locator {
    return this.dialog.getByRole('heading', { name: 'Lab complete' });
  }

  /** One row per step: its title, its result and when it passed. */
  get stepRows(): Locator {
    return this.dialog.locator('tbody tr');
  }

  /** "Show summary" in the progress bar brings it back after it was dismissed. */
  get showButton(): Locator {
    return this.page.locator('.steps-progress').getByRole('button', { name: 'Show summary' });
  }

  async dismiss(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Back to the lab' }).click();
  }
}
