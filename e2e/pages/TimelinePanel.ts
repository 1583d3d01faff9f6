import { expect, type Locator, type Page } from '@playwright/test';

/** The learner's timeline in the instructor's learner panel: its lines, the slider, the moment shown. */
export class TimelinePanel {
  constructor(readonly page: Page) {}

  section(): Locator {
    return this.page.getByRole('region', { name: 'Timeline of the lab session' });
  }

  lines(): Locator {
    return this.page.locator('#timeline li');
  }

  slider(): Locator {
    return this.page.getByRole('slider', { name: /Moment/ });
  }

  /** What held at the chosen moment: the chosen line, the firewalls, the verdicts. */
  moment(): Locator {
    return this.page.locator('#timeline-moment');
  }

  /** Opens a machine's rules as of the chosen moment and returns them. */
  async rulesOf(machine: string): Promise<Locator> {
    const details = this.moment()
      .locator('details')
      .filter({ hasText: `${machine}: firewall` });
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    return details.getByLabel(`${machine}'s rules`);
  }

  /** The lines' texts as shown, oldest first (kind badge, "learner-reported", text). */
  async texts(): Promise<string[]> {
    return this.lines().evaluateAll((items) => items.map((li) => (li as HTMLElement).innerText.replace(/\s+/g, ' ')));
  }

  /** Index of the first line at or after `from` matching `pattern`, or -1. */
  async indexOf(pattern: RegExp, from = 0): Promise<number> {
    const texts = await this.texts();
    return texts.findIndex((t, i) => i >= from && pattern.test(t));
  }

  /** Waits until lines matching these patterns are all there, in this order; returns their indexes. */
  async waitForSequence(patterns: RegExp[], timeout = 60_000): Promise<number[]> {
    let found: number[] = [];
    await expect
      .poll(
        async () => {
          found = [];
          let from = 0;
          for (const p of patterns) {
            const i = await this.indexOf(p, from);
            if (i === -1) return (await this.texts()).join('\n');
            found.push(i);
            from = i + 1;
          }
          return 'in order';
        },
        { timeout, message: 'the timeline tells it in this order' },
      )
      .toBe('in order');
    return found;
  }

  /** Scrubs with the keyboard: focuses the slider and presses these keys. */
  async scrubWithKeys(...keys: string[]): Promise<void> {
    await this.slider().focus();
    for (const key of keys) await this.page.keyboard.press(key);
  }

  async choose(index: number): Promise<void> {
    await this.lines().nth(index).getByRole('button').click();
    await expect(this.lines().nth(index).getByRole('button')).toHaveAttribute('aria-current', 'true');
  }
}
