import type { LabCatalog } from '../../labkit/catalog';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import { WarmDemand } from './WarmDemand';
import { WarmPool, type CreateLab } from './WarmPool';
import type { Log } from '../log/Log';

export interface WarmPoolsOptions {
  runtime: LabRuntime;
  catalog: LabCatalog;
  /** Labs of each kind kept warm at all times (LAB_WARM_POOL). */
  size: number;
  log: Log;
  /** Asked before each creation so warm labs never push the host past its lab limit. */
  hasRoom: () => boolean;
  create: CreateLab;
  /** A learner now waits for this lab, which may still wait for its turn (WarmPool). */
  promote: (deploymentId: string) => void;
}

/**
 * One warm pool per lab of the catalog, each sized LAB_WARM_POOL plus what classes ask for
 * (WarmDemand) until their deadlines.
 */
export class WarmPools {
  private readonly pools = new Map<string, WarmPool>();
  /** Labs warmed on top of the pools for a class (key), until its deadline releases them. */
  private readonly demand = new WarmDemand((labId) => this.resize(labId));

  constructor(private readonly options: WarmPoolsOptions) {
    // A pool for every lab, even of size 0: a class's roster can ask for warm labs.
    for (const lab of options.catalog.list()) {
      this.pools.set(lab.id, new WarmPool({ ...options, topology: lab.topology }));
    }
  }

  fill(): void {
    for (const pool of this.pools.values()) pool.fill();
  }

  /** A ready lab of `labId`, or the next one its pool finishes making (see WarmPool.claim), or undefined. */
  claim(labId: string): LabDeployment | Promise<LabDeployment | undefined> | undefined {
    return this.pools.get(labId)?.claim();
  }

  /**
   * Keeps `count` labs of `labId` warm for `key` (a class: its learners without a lab yet) on
   * top of LAB_WARM_POOL, until `until`; then those nobody took are released. Calling again
   * replaces the count. The host's lab limit bounds them like any other lab.
   */
  warmFor(key: string, labId: string, count: number, until: number): void {
    if (this.pools.has(labId)) this.demand.set(key, labId, count, until);
  }

  /** Labs waiting, ready to hand out. */
  get readyCount(): number {
    let ready = 0;
    for (const pool of this.pools.values()) ready += pool.readyCount;
    return ready;
  }

  /** Labs ready or being created: they count against the host's lab limit. */
  get count(): number {
    let warm = 0;
    for (const pool of this.pools.values()) warm += pool.count;
    return warm;
  }

  /** Drops every class's ask, so no deadline resizes a pool during shutdown. */
  clearDemand(): void {
    this.demand.clear();
  }

  async drain(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.drain()));
  }

  private resize(labId: string): void {
    this.pools.get(labId)?.resize(this.options.size + this.demand.extra(labId));
  }
}
