import type { Page } from '@playwright/test';

/**
 * What a page sends and receives besides what the learner sees: its HTTP requests (not the
 * WebSockets) and the events pushed to it on the lab's event socket.
 */
export class PageTraffic {
  readonly requests: string[] = [];
  readonly events: { type: string; [key: string]: unknown }[] = [];

  constructor(page: Page) {
    page.on('request', (request) => {
      if (/^https?:/.test(request.url())) this.requests.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    page.on('websocket', (ws) => {
      if (!ws.url().endsWith('/events')) return;
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string') this.events.push(JSON.parse(payload) as { type: string });
      });
    });
  }

  /** From now on: what was asked over HTTP and what was pushed since `mark`. */
  mark(): { requests: () => string[]; events: () => PageTraffic['events'] } {
    const requestsAt = this.requests.length;
    const eventsAt = this.events.length;
    return { requests: () => this.requests.slice(requestsAt), events: () => this.events.slice(eventsAt) };
  }
}
