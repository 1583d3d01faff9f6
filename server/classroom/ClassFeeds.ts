import type { WebSocket } from 'ws';
import { diffSnapshot, type DashboardMessage } from './classChanges';
import { classSnapshot, type ClassSnapshot, type SnapshotDeps } from './classSnapshot';
import type { ClassroomChanges } from './ClassroomChanges';

/** A dashboard this far behind gets a fresh full snapshot once it drains, instead of more changes. */
const MAX_BUFFERED = 1024 * 1024;
/** Even with no events, "stuck" timers and "n min ago" move. */
const REFRESH_MS = 5000;

interface Viewer {
  ws: WebSocket;
  /** Missed changes while too far behind: needs a whole snapshot next. */
  stale: boolean;
}

/**
 * One feed per class with open dashboards: each change computes the class's snapshot once, and
 * every dashboard of that class receives only the lines that changed since the previous one.
 */
class ClassFeed {
  private readonly viewers = new Set<Viewer>();
  private keys = new Map<string, string>();
  private head = '';
  private readonly off: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly classId: string,
    private readonly deps: SnapshotDeps,
    changes: ClassroomChanges,
    private readonly log: (message: string) => void,
  ) {
    this.off = changes.on(() => this.tick());
    this.timer = setInterval(() => this.tick(), REFRESH_MS);
  }

  get size(): number {
    return this.viewers.size;
  }

  /** Brings the others up to date first, so the newcomer's snapshot is the feed's new baseline. */
  add(ws: WebSocket): Viewer {
    const viewer = { ws, stale: false };
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
  }

  private tick(): ClassSnapshot | undefined {
    const cls = this.deps.store.classes.get(this.classId);
    if (!cls) return undefined;
    let snap: ClassSnapshot;
    try {
      snap = classSnapshot(this.deps, cls);
    } catch (error) {
      this.log(`dashboard snapshot failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const { changes, keys, head } = diffSnapshot({ keys: this.keys, head: this.head }, snap);
    this.keys = keys;
    this.head = head;
    const delta = JSON.stringify({ type: 'changes', data: changes } satisfies DashboardMessage);
    for (const viewer of this.viewers) {
      if (viewer.stale) this.send(viewer, { type: 'snapshot', data: snap });
      else this.sendRaw(viewer, delta);
    }
    return snap;
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

  constructor(
    private readonly deps: SnapshotDeps,
    private readonly changes: ClassroomChanges,
    private readonly log: (message: string) => void,
  ) {}

  /** Sends the class's snapshot now, then changes, until the socket closes. */
  watch(classId: string, ws: WebSocket): void {
    let feed = this.feeds.get(classId);
    if (!feed) {
      feed = new ClassFeed(classId, this.deps, this.changes, this.log);
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
