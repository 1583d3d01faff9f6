import { errorMessage } from '../log/errorMessage';
import type { Log } from '../log/Log';
import { postScore } from './agsClient';
import type { PlatformsRepo } from './PlatformsRepo';
import { PlatformError, type PlatformTokens } from './platformTokens';
import type { NewScore, ScoreRow, ScoresRepo } from './ScoresRepo';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 5 * 60_000;

/** Client errors that trying again will not fix; anything else (5xx, 401, 408, 429, no answer) is retried. */
const FINAL_STATUSES = new Set([400, 403, 404, 405, 410, 413, 415, 422]);

/**
 * Sends queued scores to the LMS, oldest due first, one at a time. A score that fails waits
 * 1 s, 2 s, 4 s … (at most 5 minutes) and is tried again; the queue is the lti_scores table, so a
 * restart resumes where the last server stopped.
 */
export class ScoreOutbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  private readonly scores: ScoresRepo;
  private readonly platforms: PlatformsRepo;
  private readonly tokens: PlatformTokens;
  private readonly log: Log;
  private readonly now: () => number;

  constructor(options: {
    scores: ScoresRepo;
    platforms: PlatformsRepo;
    tokens: PlatformTokens;
    log: Log;
    /** The clock; tests move it. */
    now?: () => number;
  }) {
    this.scores = options.scores;
    this.platforms = options.platforms;
    this.tokens = options.tokens;
    this.log = options.log;
    this.now = options.now ?? Date.now;
  }

  /** Queues a score and starts sending; false when this exact state was queued already. */
  add(score: NewScore): boolean {
    const added = this.scores.enqueue(score, this.now());
    if (added) this.kick();
    return added;
  }

  /** Sends whatever is due now (also what a previous server left waiting), then sleeps until the next is due. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .catch((error: unknown) => this.log(`LTI score outbox: ${String(error)}`, 'error'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.sleep();
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private sleep(): void {
    const next = this.scores.nextDueAt();
    if (next === undefined || this.closed) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, next - this.now()));
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (let due = this.scores.due(this.now()); due.length > 0 && !this.closed; due = this.scores.due(this.now())) {
      for (const score of due) await this.send(score);
    }
  }

  private async send(score: ScoreRow): Promise<void> {
    const platform = this.platforms.get(score.platformId);
    if (!platform) {
      this.scores.markFailed(score.id, 'the LMS is no longer registered', undefined);
      return;
    }
    try {
      await postScore(this.tokens, platform, score.lineItemUrl, score);
      this.scores.markSent(score.id, this.now());
    } catch (error) {
      const status = error instanceof PlatformError ? error.status : undefined;
      const final = status !== undefined && FINAL_STATUSES.has(status);
      const message = errorMessage(error);
      const retryAt = final ? undefined : this.now() + Math.min(FIRST_RETRY_MS * 2 ** score.tries, MAX_RETRY_MS);
      this.scores.markFailed(score.id, message, retryAt);
      this.log(`LTI score ${score.id} to ${platform.name}: ${message}${final ? '' : ' (will retry)'}`, 'warn');
    }
  }
}
