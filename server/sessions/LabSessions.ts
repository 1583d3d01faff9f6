import type { LabRuntime } from '../runtime/LabRuntime';
import { newLabSessionId } from './ids';
import type { LabCatalog } from '../../labkit/catalog';
import type { EndReason, LabSession, ResetBy, SleepReason } from './labSessionTypes';
import { WarmPool } from './WarmPool';
import { LabSessionError } from './LabSessionError';
import { IdleReaper } from './IdleReaper';
import { LabSleep } from './LabSleep';
import { SessionTable } from './SessionTable';
import { maxAgeEnd } from './awakeClock';
import { adoptedSession, type AdoptedSession } from './adoptedSession';
import { resetSession } from './resetSession';
import type { SessionHost } from './sessionHost';

export { LabSessionError } from './LabSessionError';
export type { AdoptedSession } from './adoptedSession';
import { StartQueue } from './StartQueue';
import { WarmDemand } from './WarmDemand';

export interface LabSessionsOptions {
  runtime: LabRuntime;
  catalog: LabCatalog;
  idleMs: number;
  /** How long before the reaper puts a lab to sleep the learner is warned. */
  idleWarningMs: number;
  /** How long a sleeping lab is kept before it is removed. */
  sleepMs: number;
  /** A lab ends this long after it started, keepalives or not; 0 or less means never. */
  maxAgeMs?: number;
  /** How long before that end the learner is warned. */
  maxAgeWarningMs?: number;
  warmPoolSize: number;
  maxLabs: number;
  /** Lab creations and wakes running at once; 0 or unset means no limit. */
  startConcurrency?: number;
  log: (message: string) => void;
}

/**
 * The lab sessions this server runs: labSessionId -> { owner, LabInstance, status, activity }.
 * Other areas (terminals, grading) subscribe with `on` instead of being called from here.
 *
 *   start(ownerId, labId)  -> the owner's live session of that lab, or a new one (warm pool first)
 *   get(id) / getOwned(id, ownerId) / listOwned(ownerId)
 *   whenReady(id)          -> resolves with the LabInstance once started or reset
 *   touch(id)              -> learner activity; postpones the idle reaper
 *   reset(id, by)          -> fresh machines under the same session id, on the same addresses
 *   sleep(id) / wake(id)   -> machines stopped with their disks kept / booted again (LabSleep)
 *   end(id, reason)        -> machines destroyed, session forgotten
 *   Events: started, resetting, reset, idle-warning, sleeping, slept, woken, ended.
 * The IdleReaper puts labs to sleep, and removes labs asleep for longer than sleepMs.
 */
export class LabSessions extends SessionTable {
  private readonly pools = new Map<string, WarmPool>();
  private readonly reaper: IdleReaper;
  private readonly sleeper: LabSleep;
  private readonly host: SessionHost;
  /** Teardowns in flight, so shutdown waits for every machine to be gone. */
  private readonly ending = new Set<Promise<void>>();

  private readonly starts: StartQueue;
  /** Labs warmed on top of the pools for a class (key), until its deadline releases them. */
  private readonly demand = new WarmDemand((labId) => this.resizePool(labId));

  constructor(private readonly options: LabSessionsOptions) {
    super(options.idleMs, options.log);
    this.starts = new StartQueue(options.startConcurrency ?? 0);
    this.reaper = new IdleReaper({
      list: () => this.list(),
      sleep: (id, reason) => this.sleep(id, reason),
      end: (id, reason) => this.end(id, reason),
      emit: (event) => this.emit(event),
      idleWarningMs: options.idleWarningMs,
      sleepMs: options.sleepMs,
      maxAgeWarningMs: options.maxAgeWarningMs,
      log: options.log,
    });
    this.host = {
      runtime: options.runtime,
      topology: (labId) => options.catalog.get(labId)?.topology,
      session: (id) => this.sessions.get(id),
      whenReady: (id) => this.whenReady(id),
      setReady: (id, ready) => this.ready.set(id, ready),
      hasRoom: () => this.labCount() < options.maxLabs,
      touch: (id) => this.touch(id),
      emit: (event) => this.emit(event),
      end: (id, reason) => this.end(id, reason),
      maxAgeMs: options.maxAgeMs,
      startInTurn: (work) => this.starts.run('learner', work),
      log: options.log,
    };
    this.sleeper = new LabSleep(this.host);
    // A pool for every lab, even of size 0: a class's roster can ask for warm labs.
    for (const lab of options.catalog.list()) {
      this.pools.set(
        lab.id,
        new WarmPool(
          options.runtime,
          lab.topology,
          options.warmPoolSize,
          options.log,
          () => this.labCount() < options.maxLabs,
          (id, topology) => this.starts.run('warm', () => options.runtime.create(id, topology)),
        ),
      );
    }
  }

  /** Fills the warm pools and starts the idle reaper. */
  startBackground(): void {
    for (const pool of this.pools.values()) pool.fill();
    this.reaper.start();
  }

  async start(ownerId: string, labId: string): Promise<LabSession> {
    const definition = this.options.catalog.get(labId);
    if (!definition) throw new LabSessionError('unknown-lab', `No lab called "${labId}"`);
    const existing = this.listOwned(ownerId).find((s) => s.labId === labId);
    if (existing?.status === 'sleeping') return this.wake(existing.id);
    if (existing) {
      await this.whenReady(existing.id);
      return existing;
    }
    const now = Date.now();
    const session: LabSession = {
      id: newLabSessionId(),
      labId,
      ownerId,
      status: 'starting',
      lab: undefined,
      createdAt: now,
      lastActivityAt: now,
      idleExpiresAt: now + this.options.idleMs,
      awakeMs: 0,
      awakeSince: undefined,
      sleptAt: undefined,
      expiresAt: this.maxAgeEnd(now),
    };
    const warm = this.pools.get(labId)?.take();
    if (!warm && this.labCount() >= this.options.maxLabs) {
      throw new LabSessionError(
        'capacity',
        `All ${this.options.maxLabs} lab places are in use; try again in a few minutes`,
      );
    }
    this.sessions.set(session.id, session);
    const created = warm
      ? Promise.resolve(warm)
      : this.starts.run('learner', () => this.options.runtime.create(newLabSessionId(), definition.topology));
    this.ready.set(session.id, created);
    try {
      session.lab = await created;
    } catch (error) {
      this.sessions.delete(session.id);
      this.ready.delete(session.id);
      session.status = 'ended';
      throw error;
    }
    if (session.status !== 'starting') {
      // Ended while starting: don't leak the machines.
      await this.options.runtime.destroy(session.lab.labSessionId).catch(() => undefined);
      throw new LabSessionError('ended', 'The lab was ended while it was starting');
    }
    session.status = 'ready';
    session.awakeSince = Date.now();
    // Idle time counts from when the learner could first use the lab.
    this.touch(session.id);
    this.emit({ type: 'started', session });
    return session;
  }

  /**
   * Takes back a session whose machines outlived a server restart (the store knew it
   * and its machines still answer). It is live again as before, and listeners hear 'started'
   * so terminals, grading and the store hook it up as usual.
   */
  adopt(record: AdoptedSession): LabSession {
    const session = adoptedSession(record, this.options);
    this.sessions.set(session.id, session);
    this.ready.set(session.id, Promise.resolve(record.lab));
    this.emit({ type: 'started', session });
    return session;
  }

  /** Fresh machines under the same session id, on the same addresses (see resetSession). */
  reset(id: string, by: ResetBy = 'learner'): Promise<LabSession> {
    return resetSession(this.host, id, by, this.sleeper.settled(id));
  }

  /**
   * Stops the lab's machines, keeping their disks; the lab gives up its addresses and stops
   * counting against the running-lab limit. Terminals close first.
   */
  sleep(id: string, reason: SleepReason): Promise<LabSession> {
    return this.sleeper.sleep(id, reason);
  }

  /** Boots a sleeping lab's machines again; refused while the server runs as many labs as it can. */
  wake(id: string): Promise<LabSession> {
    return this.sleeper.wake(id);
  }

  end(id: string, reason: EndReason): Promise<void> {
    const done = this.teardown(id, reason);
    this.ending.add(done);
    return done.finally(() => this.ending.delete(done));
  }

  private async teardown(id: string, reason: EndReason): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    const ready = this.ready.get(id);
    this.ready.delete(id);
    const wasStarting = session.status === 'starting';
    session.status = 'ended';
    this.emit({ type: 'ended', session, reason });
    if (wasStarting) return; // start() destroys the machines when they arrive.
    const lab = await ready?.catch(() => undefined);
    if (lab)
      await this.options.runtime
        .destroy(lab.labSessionId)
        .catch((error: unknown) => this.logError('end: destroy', error));
    session.lab = undefined;
  }

  /**
   * Stops background work. With keepLabs the learners' machines stay up (their sessions are in
   * the store, and the next start adopts them); warm labs are always removed.
   */
  async shutdown({ keepLabs = false }: { keepLabs?: boolean } = {}): Promise<void> {
    this.reaper.stop();
    this.demand.clear();
    if (!keepLabs) await Promise.all([...this.sessions.keys()].map((id) => this.end(id, 'shutdown')));
    await Promise.all([...this.ending, ...this.sleeper.pending()]);
    await Promise.all([...this.pools.values()].map((pool) => pool.drain()));
    await this.options.runtime
      .close()
      .catch((error: unknown) => this.options.log(`could not remove spare lab networks: ${String(error)}`));
  }

  /**
   * Keeps `count` labs of `labId` warm for `key` (a class: its learners without a lab yet) on
   * top of LAB_WARM_POOL, until `until`; then those nobody took are released. Calling again
   * replaces the count. The host's lab limit bounds them like any other lab.
   */
  warmFor(key: string, labId: string, count: number, until: number): void {
    if (this.pools.has(labId)) this.demand.set(key, labId, count, until);
  }

  private resizePool(labId: string): void {
    this.pools.get(labId)?.resize(this.options.warmPoolSize + this.demand.extra(labId));
  }

  /** Labs waiting in the warm pools, ready to hand out. */
  warmReady(): number {
    let ready = 0;
    for (const pool of this.pools.values()) ready += pool.readyCount;
    return ready;
  }

  private labCount(): number {
    let warm = 0;
    for (const pool of this.pools.values()) warm += pool.count;
    let running = 0;
    for (const session of this.sessions.values()) if (session.status !== 'sleeping') running++;
    return running + warm;
  }

  private maxAgeEnd(awakeStart: number): number {
    return maxAgeEnd(awakeStart, this.options.maxAgeMs);
  }
}
