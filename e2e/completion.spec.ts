import { expect, test } from '@playwright/test';
import { singleServerLab } from '../labs/iptables-single-server';
import { expectAccessible } from './pages/a11y';
import { CompletionDialog } from './pages/CompletionDialog';
import { LabPage } from './pages/LabPage';
import { PageSolver } from './pages/PageSolver';
import { StepsPanel } from './pages/StepsPanel';

/**
 * A learner works through every step in the page (each step as its author's solve does it, typed
 * into the page's terminals), and the lab closes with a summary they can dismiss and reopen.
 */
test('passing the last step opens a summary of every step and the time taken, on a phone too', async ({ page }) => {
  test.setTimeout(600_000);
  const steps = new StepsPanel(page);
  const done = new CompletionDialog(page);
  const lab = new LabPage(page);
  const solver = PageSolver.listen(page, lab, steps);
  await LabPage.start(page);
  try {
    const dataDir = process.env.E2E_DATA_DIR ?? '';
    const instance = process.env.E2E_INSTANCE ?? '';
    for (const step of singleServerLab.steps) {
      await expect(done.dialog).toBeHidden();
      const message = await solver.solve(singleServerLab, step.id, dataDir, instance);
      await expect(steps.step(step.id), message).toHaveAttribute('data-status', 'passed');
    }

    // The summary takes over at once: focus on its heading, one row per step, and the time taken.
    await expect(done.dialog).toBeVisible();
    await expect(done.heading).toBeFocused();
    await expect(done.dialog).toContainText(
      /You passed all 12 steps in \d+ (s|min), from your first check to your last pass/,
    );
    await expect(done.stepRows).toHaveCount(12);
    for (const [i, step] of singleServerLab.steps.entries()) {
      const row = done.stepRows.nth(i);
      await expect(row.getByRole('rowheader')).toHaveText(`${i + 1}. ${step.title}`);
      await expect(row).toContainText('passed');
      await expect(row.getByRole('cell').last()).toHaveText(/\d\d:\d\d/);
    }
    await expectAccessible(page, 'the completion summary');

    // Dismissed, it gives the lab back; it does not come back by itself after a reload.
    await done.dismiss();
    await expect(done.dialog).toBeHidden();
    await expect(page.locator('.steps-progress')).toContainText('All 12 steps passed');
    await page.reload();
    await expect(done.showButton).toBeVisible();
    await expect(done.dialog).toBeHidden();

    // On a phone it fits the screen, opens from the progress bar and closes with Escape.
    await page.setViewportSize({ width: 390, height: 844 });
    await done.showButton.click();
    await expect(done.heading).toBeFocused();
    const box = await done.dialog.boundingBox();
    expect(box?.x).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    expect(await lab.horizontalOverflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the completion summary at 390×844');
    await page.keyboard.press('Escape');
    await expect(done.dialog).toBeHidden();
    await expect(done.showButton).toBeFocused();
  } finally {
    await lab.end();
  }
});
