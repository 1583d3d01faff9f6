import { errorMessage } from '../log/errorMessage';
import type { WebSocket } from 'ws';
import { type ClassChanges, type DashboardMessage } from '../../protocol/classChanges';
import { diffSnapshot, headKey, lineKey } from './snapshotDiff';
import { classHead, classSnapshot, learnerLines, type SnapshotDeps } from './classSnapshot';
import type { ClassSnapshot, LearnerLine } from '../../protocol/classViews';
import type { ClassroomChanges } from './ClassroomChanges';
import type { RosterWarming } from './RosterWarming';
import type { Log } from '../log/Log';

/** A dashboard this far behind gets a fresh full snapshot once it drains, instead of more changes. */
const MAX_BUFFERED = 1024 * 1024;
/** Even with no events, "stuck" timers and "n min ago" move: the whole class is recomputed this often. */
const REFRESH_MS = 5000;
/**
 * After changed lines, "Where the class is" follows within this long: once for a burst of
 * changes, since the statistics read the whole class, unlike the lines.
 */
export const STATS_AFTER_CHANGE_MS = 1000;

/** What every class's feed shares: `ClassFeeds`' options. */
export interface FeedParts {
  /** What a class's snapshot and lines are read from. */
  snapshot: SnapshotDeps;
  changes: ClassroomChanges;
  log: Log;
  /** Warms labs for a class's learners while its dashboard is open. */
  warming?: RosterWarming;
}

interface Viewer {
  ws: WebSocket;
  /** Missed changes while too far behind: needs a whole snapshot next. */
  stale: boolean;
}

/**
 * One feed per class with open dashboards. A change recomputes only the learners it names (a few
 * indexed reads each), once for all the class's dashboards, and they receive only the lines that
 * really changed; the whole class is recomputed every few seconds and when a dashboard opens.
 */
class ClassFeed {
  private readonly viewers = new Set<Viewer>();
  private keys = new Map<string, string>();
  private head = '';
  private readonly off: () => void;
  private readonly timer: NodeJS.Timeout;
  private statsTimer: NodeJS.Timeout | undefined;
  private readonly deps: SnapshotDeps;
  private readonly log: Log;
  private readonly warming: RosterWarming | undefined;

  constructor(
    private readonly classId: string,
    { snapshot, changes, log, warming }: FeedParts,
  ) {
    this.deps = snapshot;
    this.log = log;
    this.warming = warming;
    this.off = changes.on((changed) => (changed === null ? this.tick() : this.update(changed)));
    this.timer = setInterval(() => this.tick(), REFRESH_MS);
  }

  get size(): number {
    return this.viewers.size;
  }

  /** Brings the others up to date first, so the newcomer's snapshot is the feed's new baseline. */
  add(ws: WebSocket): Viewer {
    const viewer = { ws, stale: false };
    this.warming?.opened(this.classId);
    const snap = this.tick();
    this.viewers.add(viewer);
    if (snap) this.send(viewer, { type: 'snapshot', data: snap });
    return viewer;
  }

  remove(viewer: Viewer): void {
    this.viewers.delete(viewer);
  }

  close(): void {
    this.off();
    clearInterval(this.timer);
    clearTimeout(this.statsTimer);
  }

  /** The whole class: the baseline for newcomers, stuck timers, anything an event did not name. */
  private tick(): ClassSnapshot | undefined {
    const cls = this.deps.store.classes.get(this.classId);
    if (!cls) return undefined;
    const snap = this.guard(() => classSnapshot(this.deps, cls));
    if (!snap) return undefined;
    const { changes, keys, head } = diffSnapshot({ keys: this.keys, head: this.head }, snap);
    this.keys = keys;
    this.head = head;
    this.broadcast(changes, snap);
    this.warming?.seen(cls, snap.learners, true);
    return snap;
  }

  /** Only the named learners; nothing is sent when none of their lines really changed. */
  private update(learnerIds: ReadonlySet<string>): void {
    const cls = this.deps.store.classes.get(this.classId);
    if (!cls || learnerIds.size === 0) return;
    const now = Date.now();
    const lines = this.guard(() => learnerLines(this.deps, cls, learnerIds, now)) ?? [];
    this.warming?.seen(cls, lines, false);
    const changed: LearnerLine[] = [];
    for (const line of lines) {
      const key = lineKey(line);
      if (this.keys.get(line.id) === key) continue;
      this.keys.set(line.id, key);
      changed.push(line);
    }
    if (changed.length === 0) return;
    this.broadcast({ at: now, learners: changed, removed: [] });
    this.statsSoon();
  }

  /** The step statistics move with the lines: sent soon after a change, once for a burst. */
  private statsSoon(): void {
    if (this.statsTimer) return;
    this.statsTimer = setTimeout(() => {
      this.statsTimer = undefined;
      const cls = this.deps.store.classes.get(this.classId);
      const head = cls && this.guard(() => classHead(this.deps, cls));
      if (!head || headKey(head) === this.head) return;
      this.head = headKey(head);
      this.broadcast({ at: Date.now(), ...head, learners: [], removed: [] });
    }, STATS_AFTER_CHANGE_MS);
  }

  private broadcast(changes: ClassChanges, snap?: ClassSnapshot): void {
    const delta = JSON.stringify({ type: 'changes', data: changes } satisfies DashboardMessage);
    for (const viewer of this.viewers) {
      if (viewer.stale && snap) this.send(viewer, { type: 'snapshot', data: snap });
      else if (!viewer.stale) this.sendRaw(viewer, delta);
    }
  }

  private guard<T>(work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.log(`dashboard update failed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private send(viewer: Viewer, message: DashboardMessage): void {
    viewer.stale = false;
    this.sendRaw(viewer, JSON.stringify(message));
  }

  private sendRaw(viewer: Viewer, text: string): void {
    if (viewer.ws.readyState !== viewer.ws.OPEN) return;
    if (viewer.ws.bufferedAmount > MAX_BUFFERED) {
      viewer.stale = true;
      return;
    }
    viewer.ws.send(text);
  }
}

/** The feeds of every class being watched; a feed exists only while a dashboard has it open. */
export class ClassFeeds {
  private readonly feeds = new Map<string, ClassFeed>();

  constructor(private readonly parts: FeedParts) {}

  /** Sends the class's snapshot now, then changes, until the socket closes. */
  watch(classId: string, ws: WebSocket): void {
    let feed = this.feeds.get(classId);
    if (!feed) {
      feed = new ClassFeed(classId, this.parts);
      this.feeds.set(classId, feed);
    }
    const viewer = feed.add(ws);
    ws.on('close', () => {
      feed.remove(viewer);
      if (feed.size === 0) {
        feed.close();
        this.feeds.delete(classId);
      }
    });
  }
}
