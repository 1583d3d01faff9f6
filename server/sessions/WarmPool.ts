import { errorMessage } from '../log/errorMessage';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import type { Topology } from '../../labkit/topology';
import { newDeploymentId } from './ids';
import type { Log } from '../log/Log';

/** How the pool makes a lab: the server passes its start queue, so warm labs wait behind learners. */
export type CreateLab = (deploymentId: string, topology: Topology) => Promise<LabDeployment>;

/**
 * Labs created ahead of time so "Start lab" (and "Reset lab") hand over ready machines at once
 * instead of waiting the 1-2 s a fresh lab takes. Refills itself in the background.
 */
const REFILL_DELAY_MS = 5000;

export interface WarmPoolOptions {
  runtime: LabRuntime;
  /** The machines and networks of the lab kept warm. */
  topology: Topology;
  /** Labs kept ready. */
  size: number;
  log: Log;
  /** Asked before each creation so warm labs never push the host past its lab limit. */
  hasRoom: () => boolean;
  /** How a lab is made; the runtime's own create by default. */
  create?: CreateLab;
  /** A learner now waits for this lab, which may still wait for its turn: it goes in a learner's. */
  promote?: (deploymentId: string) => void;
}

export class WarmPool {
  private readonly ready: LabDeployment[] = [];
  private creating = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Learners who claimed a lab still being made: each gets the next one done (undefined if it fails). */
  private readonly claims: ((deployment: LabDeployment | undefined) => void)[] = [];
  /** Labs being made, oldest first, and those of them a learner waits for (promoted). */
  private readonly making: string[] = [];
  private readonly promoted = new Set<string>();

  private readonly runtime: LabRuntime;
  private readonly topology: Topology;
  private size: number;
  private readonly log: Log;
  private readonly hasRoom: () => boolean;
  private readonly create: CreateLab;
  private readonly promote: (deploymentId: string) => void;

  constructor(options: WarmPoolOptions) {
    this.runtime = options.runtime;
    this.topology = options.topology;
    this.size = options.size;
    this.log = options.log;
    this.hasRoom = options.hasRoom;
    this.create = options.create ?? ((id, topology) => options.runtime.create(id, topology));
    this.promote = options.promote ?? (() => undefined);
  }

  /** A ready lab, or undefined when the pool is empty (the caller then creates one itself). */
  take(): LabDeployment | undefined {
    const deployment = this.ready.shift();
    // Refill a little later: creating three containers right now would slow down the
    // learner's first terminals, which Docker is opening at this very moment.
    const refill = setTimeout(() => this.fill(), deployment ? REFILL_DELAY_MS : 0);
    refill.unref();
    return deployment;
  }

  /**
   * A ready lab; else the next lab this pool finishes making that nobody claimed yet (a learner
   * arriving while the class is still warming waits for it rather than for a lab of its own
   * queued behind it, and no lab is made for nobody meanwhile); else undefined. A claimed lab
   * that fails resolves undefined: the caller then creates one itself.
   */
  claim(): LabDeployment | Promise<LabDeployment | undefined> | undefined {
    if (this.ready.length > 0 || this.creating <= this.claims.length) return this.take();
    setTimeout(() => this.fill(), REFILL_DELAY_MS).unref();
    const claimed = new Promise<LabDeployment | undefined>((resolve) => this.claims.push(resolve));
    // First come, first served: the n waiting learners get the n oldest labs under way, so each of
    // those goes before a learner who comes later and finds none left (whose own lab is made in a
    // learner's turn).
    for (const id of this.making.slice(0, this.claims.length)) {
      if (this.promoted.has(id)) continue;
      this.promoted.add(id);
      this.promote(id);
    }
    return claimed;
  }

  get readyCount(): number {
    return this.ready.length;
  }

  get count(): number {
    return this.ready.length + this.creating;
  }

  fill(): void {
    if (this.closed || this.retryTimer) return;
    // Labs being made for a learner who claimed them are no longer the pool's.
    while (this.ready.length + this.creating - this.claims.length < this.size && this.hasRoom()) {
      this.creating++;
      const id = newDeploymentId();
      this.making.push(id);
      const pending: Promise<unknown> = this.create(id, this.topology)
        .then((deployment) => {
          this.failures = 0;
          const claimed = this.claims.shift();
          if (claimed && !this.closed) return claimed(deployment);
          claimed?.(undefined);
          // Closed, or shrunk while this lab was being made: nobody is waiting for it.
          if (this.closed || this.ready.length >= this.size) return this.runtime.destroy(deployment.deploymentId);
          this.ready.push(deployment);
          return undefined;
        })
        .catch((error: unknown) => {
          this.claims.shift()?.(undefined);
          this.failures++;
          this.log(`warm pool: could not prepare a lab: ${errorMessage(error)}`);
          // Back off so a missing image does not turn into a tight create/destroy loop.
          this.retryTimer = setTimeout(
            () => {
              this.retryTimer = undefined;
              this.fill();
            },
            Math.min(60_000, 2000 * 2 ** this.failures),
          );
          this.retryTimer.unref();
        })
        .finally(() => {
          this.creating--;
          this.making.splice(this.making.indexOf(id), 1);
          this.promoted.delete(id);
          this.inFlight.delete(pending);
        });
      this.inFlight.add(pending);
    }
  }

  /** A new target size: grows in the background, and releases ready labs beyond it at once. */
  resize(size: number): void {
    this.size = size;
    for (const deployment of this.ready.splice(size)) {
      const released: Promise<unknown> = this.runtime
        .destroy(deployment.deploymentId)
        .catch((error: unknown) => this.log(`warm pool: could not release a lab: ${errorMessage(error)}`))
        .finally(() => this.inFlight.delete(released));
      this.inFlight.add(released);
    }
    this.fill();
  }

  async drain(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    for (const claimed of this.claims.splice(0)) claimed(undefined);
    await Promise.all([...this.inFlight]);
    const deployments = this.ready.splice(0);
    await Promise.all(
      deployments.map((deployment) => this.runtime.destroy(deployment.deploymentId).catch(() => undefined)),
    );
  }
}
