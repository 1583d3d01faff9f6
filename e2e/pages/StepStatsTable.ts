import type { Locator, Page } from '@playwright/test';

/** The dashboard's per-step class statistics: where the class is stuck. */
export class StepStatsTable {
  constructor(readonly page: Page) {}

  get table(): Locator {
    return this.page.locator('table#step-stats');
  }

  row(stepId: string): Locator {
    return this.table.locator(`tbody tr[data-step="${stepId}"]`);
  }

  passed(stepId: string): Locator {
    return this.row(stepId).locator('.stat-passed');
  }

  median(stepId: string): Locator {
    return this.row(stepId).locator('.stat-median');
  }

  topFailure(stepId: string): Locator {
    return this.row(stepId).locator('.top-failure');
  }
}
