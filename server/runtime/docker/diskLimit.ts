import type Docker from 'dockerode';
import { MachineDisks, type MachineFiles } from './machineDisks';
import type { SpareDisks } from './spareDisks';
import type { Log } from '../../log/Log';
import { untimed, type PhaseClock } from './phaseClock';

export interface DiskLimitOptions {
  docker: Docker;
  /** Where loop-mounted machine disks live. */
  dir: string;
  sizeMb: number;
  log?: Log;
  /** Ready, pre-formatted disks a machine takes before it formats its own. */
  spares?: SpareDisks;
}

/**
 * Caps each machine's disk at `sizeMb`: Docker's own `--storage-opt size` where the storage
 * driver supports it (overlay2 on xfs with pquota, btrfs, zfs), a loop-mounted image of the
 * machine's own elsewhere (see MachineDisks). Which one is learned from the first machine.
 */
export class DiskLimit {
  readonly disks: MachineDisks;
  private mode: 'storage-opt' | 'loop' | 'none' | undefined;

  private readonly sizeMb: number;
  private readonly log?: Log;

  constructor(options: DiskLimitOptions) {
    this.sizeMb = options.sizeMb;
    this.log = options.log;
    this.disks = new MachineDisks(options.docker, options.dir, options.sizeMb, options.spares);
  }

  /** `files` are the machine's /etc/hosts, /etc/hostname and /etc/resolv.conf, which then live on its disk too. */
  async createContainer(
    docker: Docker,
    options: Docker.ContainerCreateOptions,
    files: MachineFiles,
    clock: PhaseClock = untimed,
  ): Promise<Docker.Container> {
    const name = options.name ?? '';
    if (this.mode === undefined || this.mode === 'storage-opt') {
      const withQuota = { ...options, HostConfig: { ...options.HostConfig, StorageOpt: { size: `${this.sizeMb}M` } } };
      try {
        const container = await clock('create', () => docker.createContainer(withQuota));
        this.mode = 'storage-opt';
        return container;
      } catch (error) {
        if (!(error instanceof Error && /storage.?opt|quota/i.test(error.message))) throw error;
        if (this.mode === undefined) await this.chooseFallback();
      }
    }
    if (this.mode !== 'loop') return clock('create', () => docker.createContainer(options));
    const mounts = await clock('disk', () => this.disks.prepare(name, files));
    try {
      return await clock('create', () =>
        docker.createContainer({
          ...options,
          HostConfig: { ...options.HostConfig, Mounts: [...(options.HostConfig?.Mounts ?? []), ...mounts] },
        }),
      );
    } catch (error) {
      await this.disks.release(name).catch(() => undefined);
      throw error;
    }
  }

  /** After create, before the first start. */
  async beforeStart(containerId: string, name: string): Promise<void> {
    if (this.mode === 'loop') await this.disks.attachLayer(containerId, name);
  }

  private async chooseFallback(): Promise<void> {
    const unavailable = await this.disks.unavailable();
    if (unavailable)
      this.log?.(`lab machines have NO disk limit: ${unavailable} (see "How a lab is isolated" in the README)`);
    this.mode ??= unavailable ? 'none' : 'loop';
  }
}
