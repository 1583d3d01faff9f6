import { expect, type Page } from '@playwright/test';

/**
 * Whether the lab page shows one pane at a time (a narrow screen). Asked only once the page is
 * built: its pane switch stays hidden until its script has the session, and appears in the same
 * task as the machine tabs, so before them a hidden switch says nothing about the screen.
 */
export async function onePaneAtATime(page: Page): Promise<boolean> {
  await expect(page.locator('#tabs .tab').first(), 'the lab page is built').toBeAttached({ timeout: 60_000 });
  return page.getByRole('navigation', { name: 'Panes' }).isVisible();
}
