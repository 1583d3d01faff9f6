import { expect, test } from '@playwright/test';
import { expectAccessible } from './pages/a11y';
import { LabPage } from './pages/LabPage';
import { PaneDivider } from './pages/PaneDivider';

/** Columns of machine1's terminal as the shell sees them (its tty size follows the pane). */
async function columns(lab: LabPage, marker: string): Promise<number> {
  await lab.run('machine1', `echo ${marker}=$(tput cols)`);
  const match = await lab.waitForText('machine1', new RegExp(`${marker}=(\\d+)`));
  return Number(match[1]);
}

test('the divider between instructions and terminals moves by keyboard and mouse, is remembered, and refits the terminals', async ({
  page,
}) => {
  const lab = await LabPage.start(page);
  const divider = new PaneDivider(page);
  try {
    await expect(divider.handle).toBeVisible();
    await expect(divider.handle).toHaveAttribute('aria-orientation', 'vertical');
    await expect(divider.handle).toHaveAttribute('aria-valuemin', '20');
    await expect(divider.handle).toHaveAttribute('aria-valuemax', '70');
    expect(Math.abs((await divider.value()) - (await divider.guideShare()))).toBeLessThanOrEqual(1);
    await lab.waitConnected('machine1');
    const before = await columns(lab, 'wa');

    // Keyboard: Home gives the terminals the most room, End the least, arrows move by 2.
    await divider.handle.focus();
    await page.keyboard.press('Home');
    await expect(divider.handle).toHaveAttribute('aria-valuenow', '20');
    expect(await divider.guideShare()).toBeCloseTo(20, -1);
    const wide = await columns(lab, 'wb');
    expect(wide).toBeGreaterThan(before);
    await divider.handle.focus();
    await page.keyboard.press('ArrowRight');
    await expect(divider.handle).toHaveAttribute('aria-valuenow', '22');
    await page.keyboard.press('End');
    await expect(divider.handle).toHaveAttribute('aria-valuenow', '70');
    const narrow = await columns(lab, 'wc');
    expect(narrow).toBeLessThan(before);

    // Mouse: dragged to the middle of the window, the instructions take half of it.
    await divider.dragTo(640);
    await expect.poll(() => divider.value()).toBeGreaterThanOrEqual(49);
    expect(await divider.value()).toBeLessThanOrEqual(51);
    expect(Math.abs((await divider.guideShare()) - 50)).toBeLessThanOrEqual(2);
    await expectAccessible(page, 'the lab page with its divider');

    // Remembered across a reload.
    const kept = await divider.value();
    await page.reload();
    await expect(divider.handle).toHaveAttribute('aria-valuenow', String(kept));
    expect(Math.abs((await divider.guideShare()) - kept)).toBeLessThanOrEqual(2);

    // Where the panes switch instead, there is no divider.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(divider.handle).toBeHidden();
    expect(await lab.horizontalOverflow()).toBeLessThanOrEqual(0);
  } finally {
    await lab.end();
  }
});
