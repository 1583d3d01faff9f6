import { expect, type Page } from '@playwright/test';
import type { TestPlatform } from '../../test/support/lti/TestPlatform';
import type { LaunchSpec } from '../../test/support/lti/idTokenClaims';

/** The test LMS's course page: the activity opens in a frame of the page, as LMSs embed tools. */
export class CoursePage {
  constructor(
    readonly page: Page,
    private readonly platform: TestPlatform,
  ) {}

  async open(spec: LaunchSpec): Promise<void> {
    const launch = this.platform.loginUrl(spec);
    await this.page.goto(`${this.platform.pageBase}/course?launch=${encodeURIComponent(launch)}`);
    await expect(this.page.getByRole('heading', { name: 'Firewalls 101' })).toBeVisible();
  }

  /** Clicks the activity, then the tool's "Open your lab" in the frame; resolves with the lab's window. */
  async launchLab(): Promise<Page> {
    await this.page.getByRole('link', { name: 'iptables lab' }).click();
    const frame = this.page.frameLocator('iframe[name="tool"]');
    const open = frame.getByRole('link', { name: 'Open your lab' });
    await expect(open).toBeVisible({ timeout: 30_000 });
    const [popup] = await Promise.all([this.page.waitForEvent('popup'), open.click()]);
    return popup;
  }
}
