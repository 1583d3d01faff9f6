import type { Locator, Page } from '@playwright/test';

/** The splitter between the instructions and the terminals on the lab page. */
export class PaneDivider {
  constructor(readonly page: Page) {}

  get handle(): Locator {
    return this.page.getByRole('separator', { name: 'Resize instructions and terminals' });
  }

  /** The instructions' share of the width, as the splitter reports it to assistive technology. */
  async value(): Promise<number> {
    return Number(await this.handle.getAttribute('aria-valuenow'));
  }

  /** The instructions' real width as a percentage of the workspace. */
  guideShare(): Promise<number> {
    return this.page.evaluate(() => {
      const guide = document.querySelector('.guide')?.getBoundingClientRect().width ?? 0;
      const all = document.querySelector('.workspace')?.getBoundingClientRect().width ?? 1;
      return Math.round((guide / all) * 100);
    });
  }

  /** Drags the divider with the mouse to `x` pixels from the left of the window. */
  async dragTo(x: number): Promise<void> {
    const box = await this.handle.boundingBox();
    if (!box) throw new Error('the divider is not on screen');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(x, box.y + box.height / 2, { steps: 8 });
    await this.page.mouse.up();
  }
}
