import type { Page } from '@playwright/test';

/**
 * Chromium's own scheduler notice when a busy host delays a task: it names whichever script ran,
 * but no code of ours wrote it, so it says nothing about the page.
 */
const BROWSER_SCHEDULER_NOTICE = /^task queue exceeded allotted deadline by \d+ms$/;

/** Collects what a page writes to its console as errors or warnings, and uncaught exceptions. */
export class ConsoleWatch {
  readonly messages: string[] = [];

  constructor(page: Page) {
    page.on('console', (message) => {
      if (BROWSER_SCHEDULER_NOTICE.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning')
        this.messages.push(`${message.type()}: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => this.messages.push(`uncaught: ${error.message}`));
  }
}
