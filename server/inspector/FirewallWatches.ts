/** One FirewallWatch per lab being looked at; follows resets (new machines) and ends. */
import type { LabRuntime } from '../runtime/LabRuntime';
import type { LabSessions } from '../sessions/LabSessions';
import type { SessionEventSnapshot } from '../sessions/labSessionTypes';
import { FirewallWatch, type Viewer } from './FirewallWatch';

export class FirewallWatches {
  private readonly watches = new Map<string, FirewallWatch>();
  private readonly viewers = new Map<string, Set<Viewer>>();

  constructor(
    private readonly runtime: LabRuntime,
    private readonly sessions: LabSessions,
    private readonly log: (message: string) => void,
  ) {}

  /** A hook: watches follow resets (new machines) and ends. */
  onSessionEvent(event: SessionEventSnapshot): void {
    const id = event.session.id;
    if (!this.viewers.has(id)) return;
    if (event.type === 'resetting' || event.type === 'ended') {
      this.watches.get(id)?.close();
      this.watches.delete(id);
      const message = event.type === 'ended' ? 'The lab has ended.' : 'The lab is being reset…';
      for (const viewer of this.viewers.get(id) ?? []) viewer({ type: 'unavailable', message });
    } else if (event.type === 'reset') {
      for (const viewer of this.viewers.get(id) ?? []) this.watchFor(id)?.add(viewer);
    }
  }

  /** Starts sending `viewer` this lab's firewall; call the returned function when it goes away. */
  join(labSessionId: string, viewer: Viewer): { watch: () => FirewallWatch | undefined; leave: () => void } {
    let set = this.viewers.get(labSessionId);
    if (!set) {
      set = new Set();
      this.viewers.set(labSessionId, set);
    }
    set.add(viewer);
    const watch = this.watchFor(labSessionId);
    if (watch) watch.add(viewer);
    else viewer({ type: 'unavailable', message: 'The lab is starting…' });
    return {
      watch: () => this.watches.get(labSessionId),
      leave: () => {
        set.delete(viewer);
        if (set.size === 0) this.viewers.delete(labSessionId);
        const current = this.watches.get(labSessionId);
        if (current?.remove(viewer)) this.watches.delete(labSessionId);
      },
    };
  }

  /** How many labs are being read right now (for benchmarks and health). */
  get active(): number {
    return this.watches.size;
  }

  close(): void {
    for (const watch of this.watches.values()) watch.close();
    this.watches.clear();
  }

  private watchFor(labSessionId: string): FirewallWatch | undefined {
    const existing = this.watches.get(labSessionId);
    if (existing) return existing;
    const lab = this.sessions.get(labSessionId)?.lab;
    if (!lab) return undefined;
    const watch = new FirewallWatch(this.runtime, lab, this.log);
    this.watches.set(labSessionId, watch);
    return watch;
  }
}
