import type { LabRuntime } from '../runtime/LabRuntime';
import type { LabCatalog } from '../../labkit/catalog';
import type { LabSession, ResetBy, SleepReason } from './labSessionTypes';
import { WarmPools } from './WarmPools';
import { LabSessionError } from './LabSessionError';
import { IdleReaper } from './IdleReaper';
import { LabSleep } from './LabSleep';
import { SessionTable } from './SessionTable';
import { maxAgeEnd } from './awakeClock';
import { newSession } from './newSession';
import { adoptedSession, type AdoptedSession } from './adoptedSession';
import { resetSession } from './resetSession';
import type { SessionMachines } from './SessionMachines';

import { StartQueue } from './StartQueue';
import type { Log } from '../log/Log';

export { LabSessionError } from './LabSessionError';
export type { AdoptedSession } from './adoptedSession';

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
  log: Log;
}

/**
 * The lab sessions this server runs: session id -> { learner, deployment, status, activity }.
 * Other areas (terminals, grading) subscribe with `on` instead of being called from here; a
 * status changes only along the lifecycle table (lifecycle.ts), applied by SessionTable.move.
 *
 *   start(learnerId, labId) -> the learner's live session of that lab, or a new one (warm pool first)
 *   get(id) / getOwned(id, learnerId) / listOwned(learnerId)
 *   whenReady(id)          -> resolves with the deployment once started or reset
 *   touch(id)              -> learner activity; postpones the idle reaper
 *   reset(id, by)          -> fresh machines under the same session id, on the same addresses
 *   sleep(id) / wake(id)   -> machines stopped with their disks kept / booted again (LabSleep)
 *   end(id, reason)        -> machines destroyed, session forgotten
 *   Events: started, resetting, reset, idle-warning, activity, sleeping, slept, woken, ended.
 * The IdleReaper puts labs to sleep, and removes labs asleep for longer than sleepMs.
 */
export class LabSessions extends SessionTable {
  private readonly warm: WarmPools;
  private readonly reaper: IdleReaper;
  private readonly sleeper: LabSleep;
  private readonly machines: SessionMachines;
  private readonly starts: StartQueue;

  constructor(private readonly options: LabSessionsOptions) {
    super(options);
    this.starts = new StartQueue(options.startConcurrency ?? 0);
    this.reaper = new IdleReaper({
      list: () => this.list(),
      // A lab platform that cannot keep a lab asleep ends an idle one instead.
      sleep: (id, reason) => (options.runtime.capabilities.sleep ? this.sleep(id, reason) : this.end(id, 'idle')),
      end: (id, reason) => this.end(id, reason),
      emit: (event) => this.emit(event),
      idleWarningMs: options.idleWarningMs,
      sleepMs: options.sleepMs,
      maxAgeWarningMs: options.maxAgeWarningMs,
      log: options.log,
    });
    this.machines = {
      runtime: options.runtime,
      topology: (labId) => options.catalog.get(labId)?.topology,
      hasRoom: () => this.hasRoom(),
      maxAgeMs: options.maxAgeMs,
      startInTurn: (work) => this.starts.run('learner', work),
    };
    this.sleeper = new LabSleep(this, this.machines);
    this.warm = new WarmPools({
      runtime: options.runtime,
      catalog: options.catalog,
      size: options.warmPoolSize,
      log: options.log,
      hasRoom: () => this.hasRoom(),
      create: (id, topology) => this.starts.run('warm', () => options.runtime.create(id, topology), id),
      promote: (id) => this.starts.promote(id),
    });
  }

  /** Fills the warm pools and starts the idle reaper. */
  startBackground(): void {
    this.warm.fill();
    this.reaper.start();
  }

  async start(learnerId: string, labId: string): Promise<LabSession> {
    const definition = this.options.catalog.get(labId);
    if (!definition) throw new LabSessionError('unknown-lab', `No lab called "${labId}"`);
    const existing = this.listOwned(learnerId).find((s) => s.labId === labId);
    if (existing?.status === 'sleeping') return this.wake(existing.id);
    if (existing) {
      await this.whenReady(existing.id);
      return existing;
    }
    const session = newSession(learnerId, labId, this.options);
    // A warm lab, ready or still being made (it already counts against the host's limit).
    const warm = this.warm.claim(labId);
    if (!warm && !this.hasRoom()) {
      throw new LabSessionError(
        'capacity',
        `All ${this.options.maxLabs} lab places are in use; try again in a few minutes`,
      );
    }
    this.sessions.set(session.id, session);
    const cold = () => this.starts.run('learner', () => this.options.runtime.create(session.id, definition.topology));
    const created = warm ? Promise.resolve(warm).then((deployment) => deployment ?? cold()) : cold();
    this.setReady(session.id, created);
    try {
      session.deployment = await created;
    } catch (error) {
      this.forget(session);
      throw error;
    }
    if (!this.move(session, 'started')) {
      // Ended while starting: don't leak the machines.
      await this.options.runtime.destroy(session.deployment.deploymentId).catch(() => undefined);
      throw new LabSessionError('ended', 'The lab was ended while it was starting');
    }
    session.awakeSince = Date.now();
    // The maximum age counts awake time only: a slow start is not the learner's time.
    session.expiresAt = maxAgeEnd(session.awakeSince, this.options.maxAgeMs);
    // Idle time counts from when the learner could first use the lab.
    this.startIdleClock(session);
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
    this.setReady(session.id, Promise.resolve(record.deployment));
    this.emit({ type: 'started', session });
    return session;
  }

  /** Fresh machines under the same session id, on the same addresses (see resetSession). */
  reset(id: string, by: ResetBy = 'learner'): Promise<LabSession> {
    return resetSession({ table: this, machines: this.machines }, id, { by, asleep: this.sleeper.settled(id) });
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

  /**
   * Stops background work. With keepLabs the learners' machines stay up (their sessions are in
   * the store, and the next start adopts them); warm labs are always removed.
   */
  async shutdown({ keepLabs = false }: { keepLabs?: boolean } = {}): Promise<void> {
    this.reaper.stop();
    this.warm.clearDemand();
    if (!keepLabs) await Promise.all([...this.sessions.keys()].map((id) => this.end(id, 'shutdown')));
    await Promise.all([...this.ending, ...this.sleeper.pending()]);
    await this.warm.drain();
    await this.options.runtime
      .close()
      .catch((error: unknown) => this.options.log(`could not remove spare lab networks: ${String(error)}`));
  }

  /** Extra warm labs for a class until a deadline (see WarmPools.warmFor). */
  warmFor(key: string, labId: string, count: number, until: number): void {
    this.warm.warmFor(key, labId, count, until);
  }

  /** Labs waiting in the warm pools, ready to hand out. */
  warmReady(): number {
    return this.warm.readyCount;
  }

  /** Below the host's lab limit: awake labs and warm ones (ready or being made) count, sleeping ones don't. */
  private hasRoom(): boolean {
    let running = 0;
    for (const session of this.sessions.values()) if (session.status !== 'sleeping') running++;
    return running + this.warm.count < this.options.maxLabs;
  }
}
