/**
 * One FirewallWatch per firewall being looked at (a lab session's machine, as its lab declares
 * it); follows resets (new machines) and ends. A watch nobody looks at reads nothing, but keeps
 * its trace running and its last result for when the view is back.
 */
import { hostNetns } from '../runtime/capabilities';
import type { LabCatalog } from '../../labkit/catalog';
import type { FirewallSpec } from '../../labkit/types';
import type { LabRuntime } from '../runtime/LabRuntime';
import type { LabSessions } from '../sessions/LabSessions';
import type { SessionEventSnapshot } from '../sessions/labSessionTypes';
import { FirewallWatch, type Viewer } from './FirewallWatch';
import { REMOVE_TRACE_TABLE } from './traceTable';
import { TraceSlots } from './TraceSlots';
import type { Log } from '../log/Log';

/** Trace helpers (xtables-monitor) running at once on this host, all learners together. */
export const TRACE_HOST_LIMIT = 8;

/** Events after which a lab's machines are gone (for now), and what the view says. */
const GONE: Readonly<Record<string, string>> = {
  resetting: 'The lab is being reset…',
  sleeping: 'The lab is going to sleep.',
  ended: 'The lab has ended.',
};

export class FirewallWatches {
  private readonly watches = new Map<string, FirewallWatch>();
  private readonly viewers = new Map<string, Set<Viewer>>();
  readonly slots = new TraceSlots(TRACE_HOST_LIMIT);

  constructor(
    private readonly runtime: LabRuntime,
    private readonly sessions: LabSessions,
    private readonly catalog: LabCatalog,
    private readonly log: Log,
  ) {}

  /** A hook: watches follow resets and wakes (new machines), sleeps and ends. */
  onSessionEvent(event: SessionEventSnapshot): void {
    const id = event.session.id;
    const gone = GONE[event.type];
    if (!gone && event.type !== 'reset' && event.type !== 'woken') return;
    for (const key of this.keysOf(id)) {
      if (!gone) {
        for (const viewer of this.viewers.get(key) ?? []) this.watchFor(key)?.add(viewer);
        continue;
      }
      // The machines go away: the trace stops with them, and its helper with it.
      this.watches.get(key)?.close();
      this.watches.delete(key);
      for (const viewer of this.viewers.get(key) ?? []) viewer({ type: 'unavailable', message: gone });
    }
  }

  /** The firewall a view asks for: the one named, or the lab's first; undefined when the lab has none. */
  firewallOf(sessionId: string, machineId?: string): FirewallSpec | undefined {
    const session = this.sessions.get(sessionId);
    const firewalls = (session && this.catalog.get(session.labId)?.firewalls) ?? [];
    return machineId === undefined ? firewalls[0] : firewalls.find((f) => f.machineId === machineId);
  }

  /** Starts sending `viewer` this firewall; call `leave` when it goes away. */
  join(
    sessionId: string,
    machineId: string,
    viewer: Viewer,
  ): { watch: () => FirewallWatch | undefined; leave: () => void } {
    const key = `${sessionId}/${machineId}`;
    let set = this.viewers.get(key);
    if (!set) {
      set = new Set();
      this.viewers.set(key, set);
    }
    set.add(viewer);
    const watch = this.watchFor(key);
    if (watch) watch.add(viewer);
    else viewer({ type: 'unavailable', message: 'The lab is starting…' });
    return {
      watch: () => this.watches.get(key),
      leave: () => {
        set.delete(viewer);
        if (set.size === 0) this.viewers.delete(key);
        this.watches.get(key)?.remove(viewer);
      },
    };
  }

  /** How many firewalls are being read right now (for benchmarks and health). */
  get active(): number {
    return [...this.watches.values()].filter((w) => w.active).length;
  }

  /**
   * At start: trace tables a killed server left in its labs' machines go. (Their marks stop by
   * themselves within a minute; the empty table would stay.) Its helpers died with it.
   */
  async removeStaleTraces(): Promise<void> {
    const jobs = this.sessions.list().flatMap((session) => {
      const deployment = session.deployment;
      if (!deployment || session.status !== 'ready') return [];
      return (this.catalog.get(session.labId)?.firewalls ?? []).map((f) =>
        hostNetns(this.runtime)
          .netnsExec(deployment, f.machineId, ['nft', '-f', '-'], { stdin: REMOVE_TRACE_TABLE, timeoutMs: 5000 })
          .catch((error: unknown) =>
            this.log(`trace table of ${session.id}/${f.machineId} not removed: ${String(error)}`),
          ),
      );
    });
    await Promise.all(jobs);
  }

  close(): void {
    for (const watch of this.watches.values()) watch.close();
    this.watches.clear();
  }

  private keysOf(sessionId: string): string[] {
    const prefix = `${sessionId}/`;
    return [...new Set([...this.viewers.keys(), ...this.watches.keys()])].filter((k) => k.startsWith(prefix));
  }

  private watchFor(key: string): FirewallWatch | undefined {
    const existing = this.watches.get(key);
    if (existing) return existing;
    const [sessionId = '', machineId = ''] = key.split('/');
    const session = this.sessions.get(sessionId);
    const spec = this.firewallOf(sessionId, machineId);
    if (!session?.deployment || !spec) return undefined;
    const watch = new FirewallWatch({
      runtime: this.runtime,
      deployment: session.deployment,
      spec,
      learnerId: session.learnerId,
      slots: this.slots,
      log: this.log,
    });
    this.watches.set(key, watch);
    return watch;
  }
}
