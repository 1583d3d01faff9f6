import type { LabInstance, LabRuntime } from '../runtime/LabRuntime';
import { newLabSessionId } from './ids';
import type { LabCatalog } from '../../labkit/catalog';
import type { EndReason, LabSession, LabSessionListener, ResetBy, SleepReason } from './labSessionTypes';
import { WarmPool } from './WarmPool';
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

/** A session whose machines outlived a restart; `asleepSince` when they were asleep. */
export interface AdoptedSession {
  id: string;
  labId: string;
  ownerId: string;
  lab: LabInstance;
  createdAt: number;
  lastActivityAt: number;
  /** Awake time before `lastWokenAt` (or before `createdAt` if it never slept). */
  awakeMs: number;
  lastWokenAt: number | undefined;
  asleepSince: number | undefined;
}

export class LabSessionError extends Error {
  constructor(
    readonly kind: 'unknown-lab' | 'capacity' | 'not-found' | 'ended' | 'busy',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The lab sessions this server runs: labSessionId -> { owner, LabInstance, status, activity }.
 * Other areas (terminals, grading) subscribe with `on` instead of being called from here.
 *
 *   start(ownerId, labId)  -> the owner's live session of that lab, or a new one (warm pool first)
 *   get(id) / getOwned(id, ownerId) / listOwned(ownerId)
 *   whenReady(id)          -> resolves with the LabInstance once started or reset
 *   touch(id)              -> learner activity; postpones the idle reaper
 *   reset(id, by)          -> fresh machines under the same session id, on the same addresses when it can
 *   sleep(id) / wake(id)   -> machines stopped with their disks kept / booted again
 *   end(id, reason)        -> machines destroyed, session forgotten
 *   Events: started, resetting, reset, idle-warning, sleeping, slept, woken, ended.
 * The idle reaper puts labs to sleep, and removes labs asleep for longer than sleepMs.
 */
export class LabSessions {
  private readonly sessions = new Map<string, LabSession>();
  private readonly ready = new Map<string, Promise<LabInstance>>();
  private readonly listeners = new Set<LabSessionListener>();
  private readonly pools = new Map<string, WarmPool>();
  private readonly warned = new Set<string>();
  private readonly ageWarned = new Set<string>();
  private reaper: NodeJS.Timeout | undefined;
  /** Teardowns in flight, so shutdown waits for every machine to be gone. */
  private readonly ending = new Set<Promise<void>>();
  /** Machines stopping, by session: a wake waits for its lab to be fully asleep first. */
  private readonly stopping = new Map<string, Promise<void>>();
  private readonly starts: StartQueue;
  /** Labs warmed on top of the pools for a class (key), until its deadline releases them. */
  private readonly demand = new WarmDemand((labId) => this.resizePool(labId));

  constructor(private readonly options: LabSessionsOptions) {
    this.starts = new StartQueue(options.startConcurrency ?? 0);
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
    const every = Math.max(
      250,
      Math.min(30_000, this.options.idleWarningMs / 4, (this.options.maxAgeWarningMs ?? Infinity) / 4),
    );
    this.reaper = setInterval(() => this.reap(), every);
    this.reaper.unref();
  }

  on(listener: LabSessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): LabSession | undefined {
    return this.sessions.get(id);
  }

  /** Undefined both for unknown ids and for other learners' sessions, so callers cannot tell them apart. */
  getOwned(id: string, ownerId: string): LabSession | undefined {
    const session = this.sessions.get(id);
    return session && session.ownerId === ownerId ? session : undefined;
  }

  listOwned(ownerId: string): LabSession[] {
    return [...this.sessions.values()].filter((s) => s.ownerId === ownerId);
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
    const { asleepSince, awakeMs, lastWokenAt, ...rest } = record;
    const now = Date.now();
    const asleep = asleepSince !== undefined;
    const awakeSince = asleep ? undefined : (lastWokenAt ?? record.createdAt);
    // A restart resets neither clock; a lab whose time ran out while the server was down still
    // gets its warning before it goes. Only awake time counts towards the maximum age.
    const session: LabSession = {
      ...rest,
      status: asleep ? 'sleeping' : 'ready',
      idleExpiresAt: Math.max(record.lastActivityAt + this.options.idleMs, now + this.options.idleWarningMs),
      expiresAt: Math.max(this.maxAgeEnd((awakeSince ?? now) - awakeMs), now + (this.options.maxAgeWarningMs ?? 0)),
      awakeMs,
      awakeSince,
      sleptAt: asleepSince,
    };
    this.sessions.set(session.id, session);
    this.ready.set(session.id, Promise.resolve(record.lab));
    this.emit({ type: 'started', session });
    return session;
  }

  /** Every live session (for MachineFailures). */
  list(): LabSession[] {
    return [...this.sessions.values()];
  }

  /** A machine of a ready lab stopped unexpectedly: the learner is told `problem` until a reset or recovery. */
  markBroken(id: string, problem: string): void {
    const session = this.sessions.get(id);
    if (!session || session.status !== 'ready') return;
    session.status = 'broken';
    session.problem = problem;
    this.emit({ type: 'broken', session });
  }

  /** The broken lab's machines run again. */
  markRecovered(id: string): void {
    const session = this.sessions.get(id);
    if (!session || session.status !== 'broken') return;
    session.status = 'ready';
    delete session.problem;
    this.emit({ type: 'recovered', session });
  }

  whenReady(id: string): Promise<LabInstance> {
    const ready = this.ready.get(id);
    if (!ready) return Promise.reject(new LabSessionError('not-found', 'No such lab session'));
    return ready;
  }

  touch(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    session.lastActivityAt = Date.now();
    session.idleExpiresAt = session.lastActivityAt + this.options.idleMs;
    this.warned.delete(id);
  }

  async reset(id: string, by: ResetBy = 'learner'): Promise<LabSession> {
    const session = this.sessions.get(id);
    if (!session) throw new LabSessionError('not-found', 'No such lab session');
    const previous = await this.whenReady(id);
    // A sleeping lab may be reset too: its machines are replaced anyway.
    if (session.status !== 'ready' && session.status !== 'broken' && session.status !== 'sleeping') return session;
    if (session.status === 'sleeping' && this.labCount() >= this.options.maxLabs) {
      throw new LabSessionError(
        'capacity',
        'This server is running as many labs as it can; try again in a few minutes',
      );
    }
    await this.stopping.get(id);
    this.markAwake(session);
    delete session.problem;
    const definition = this.options.catalog.get(session.labId);
    if (!definition) throw new LabSessionError('unknown-lab', `No lab called "${session.labId}"`);
    session.status = 'resetting';
    this.emit({ type: 'resetting', session, by });
    // The old machines go first so the new ones can take their address slot: the learner's
    // notes and the addresses on the page stay true (a warm lab would sit on another slot).
    const next = this.options.runtime
      .destroy(previous.labSessionId)
      .catch((error: unknown) => this.logError('reset: destroy', error))
      .then(() =>
        this.starts.run('learner', () =>
          this.options.runtime.create(newLabSessionId(), definition.topology, { slot: previous.slot }),
        ),
      );
    this.ready.set(id, next);
    try {
      session.lab = await next;
    } catch (error) {
      await this.end(id, 'failed');
      throw error;
    }
    // end() may have run while the new machines were starting.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the status can change during the await
    if (session.status !== 'resetting') return session;
    session.status = 'ready';
    this.touch(id);
    this.emit({ type: 'reset', session, by });
    return session;
  }

  /**
   * Stops the lab's machines, keeping their disks (and, on Docker, their addresses). Terminals
   * close first; the lab stops counting against the running-lab limit.
   */
  async sleep(id: string, reason: SleepReason): Promise<LabSession> {
    const session = this.sessions.get(id);
    if (!session) throw new LabSessionError('not-found', 'No such lab session');
    if (session.status === 'sleeping') return session;
    // A broken lab's machines are (partly) stopped already: asleep, a Resume starts them all.
    if ((session.status !== 'ready' && session.status !== 'broken') || !session.lab)
      throw new LabSessionError('busy', `The lab is ${session.status}; try again in a moment`);
    const lab = session.lab;
    const now = Date.now();
    session.status = 'sleeping';
    delete session.problem;
    session.awakeMs += now - (session.awakeSince ?? now);
    session.awakeSince = undefined;
    session.sleptAt = now;
    this.warned.delete(id);
    this.emit({ type: 'sleeping', session, reason });
    const stopped = this.options.runtime.sleep(lab).catch((error: unknown) => this.logError(`sleep ${id}`, error));
    this.stopping.set(id, stopped);
    await stopped;
    if (this.stopping.get(id) === stopped) this.stopping.delete(id);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the status can change during the await
    if (session.status === 'sleeping') this.emit({ type: 'slept', session, reason });
    return session;
  }

  /** Boots a sleeping lab's machines again; refused while the server runs as many labs as it can. */
  async wake(id: string): Promise<LabSession> {
    const session = this.sessions.get(id);
    if (!session) throw new LabSessionError('not-found', 'No such lab session');
    if (session.status !== 'sleeping') {
      await this.whenReady(id);
      return session;
    }
    const lab = session.lab;
    if (!lab) throw new LabSessionError('busy', 'The lab has no machines to wake');
    if (this.labCount() >= this.options.maxLabs) {
      throw new LabSessionError(
        'capacity',
        'This server is running as many labs as it can; try again in a few minutes',
      );
    }
    session.status = 'waking';
    const stopped = this.stopping.get(id);
    const woken = (async () => {
      await stopped;
      return this.starts.run('learner', () => this.options.runtime.wake(lab));
    })();
    this.ready.set(id, woken);
    try {
      session.lab = await woken;
    } catch (error) {
      // Still asleep, files intact: the learner can try again, or an instructor remove it.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the status can change during the await
      if (session.status === 'waking') session.status = 'sleeping';
      this.ready.set(id, Promise.resolve(lab));
      throw error;
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the status can change during the await
    if (session.status !== 'waking') return session;
    session.status = 'ready';
    this.markAwake(session);
    this.touch(id);
    this.emit({ type: 'woken', session });
    return session;
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
    this.warned.delete(id);
    this.ageWarned.delete(id);
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
    clearInterval(this.reaper);
    this.demand.clear();
    if (!keepLabs) await Promise.all([...this.sessions.keys()].map((id) => this.end(id, 'shutdown')));
    await Promise.all([...this.ending, ...this.stopping.values()]);
    await Promise.all([...this.pools.values()].map((pool) => pool.drain()));
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

  /** Back from sleep: the maximum age moves on by the time asleep. */
  private markAwake(session: LabSession): void {
    if (session.awakeSince !== undefined) return;
    session.awakeSince = Date.now();
    session.sleptAt = undefined;
    session.expiresAt = this.maxAgeEnd(session.awakeSince - session.awakeMs);
    this.ageWarned.delete(session.id);
  }

  private reap(): void {
    const now = Date.now();
    for (const session of this.sessions.values()) {
      if (
        session.status === 'sleeping' &&
        session.sleptAt !== undefined &&
        now >= session.sleptAt + this.options.sleepMs
      ) {
        this.options.log(`removing lab ${session.id}, asleep since ${new Date(session.sleptAt).toISOString()}`);
        void this.end(session.id, 'expired');
      }
      if (session.status !== 'ready' && session.status !== 'broken') continue;
      if (now >= session.expiresAt) {
        this.options.log(`ending lab ${session.id}: it reached its maximum age`);
        void this.end(session.id, 'max-age');
      } else if (now >= session.expiresAt - (this.options.maxAgeWarningMs ?? 0) && !this.ageWarned.has(session.id)) {
        this.ageWarned.add(session.id);
        this.emit({ type: 'age-warning', session });
      }
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- end() above changes the status
      if (session.status !== 'ready' && session.status !== 'broken') continue;
      if (now >= session.idleExpiresAt) {
        this.options.log(`idle lab ${session.id} goes to sleep`);
        void this.sleep(session.id, 'idle').catch((error: unknown) => this.logError(`sleep ${session.id}`, error));
      } else if (now >= session.idleExpiresAt - this.options.idleWarningMs && !this.warned.has(session.id)) {
        this.warned.add(session.id);
        this.emit({ type: 'idle-warning', session });
      }
    }
  }

  private maxAgeEnd(createdAt: number): number {
    const maxAgeMs = this.options.maxAgeMs ?? 0;
    return maxAgeMs > 0 ? createdAt + maxAgeMs : Number.MAX_SAFE_INTEGER;
  }

  /** A short message from the instructor to the learner's page. */
  message(id: string, text: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.emit({ type: 'message', session, text, at: Date.now() });
    return true;
  }

  private emit(event: Parameters<LabSessionListener>[0]): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logError(`listener for ${event.type}`, error);
      }
    }
  }

  private logError(what: string, error: unknown): void {
    this.options.log(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
