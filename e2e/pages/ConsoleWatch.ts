import type { Page } from '@playwright/test';

/** Collects what a page writes to its console as errors or warnings, and uncaught exceptions. */
export class ConsoleWatch {
  readonly messages: string[] = [];

  constructor(page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        this.messages.push(`${message.type()}: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => this.messages.push(`uncaught: ${error.message}`));
  }
}
