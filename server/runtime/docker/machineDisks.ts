import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { hostCommand } from './hostCommand';
import { makeImage } from './diskImage';
import { copyLayer } from './layerCopy';
import type { SpareDisks } from './spareDisks';

/**
 * A size-capped disk for each machine on hosts where Docker cannot cap a container's writable
 * layer itself (overlay2 on ext4: `--storage-opt size` needs xfs with pquota, btrfs or zfs).
 *
 * Each machine gets a sparse ext4 image, loop-mounted on the host. It holds the machine's
 * /etc/hosts, /etc/hostname and /etc/resolv.conf (Docker would otherwise bind-mount writable
 * files from its own directory, on the host's disk), and, bind-mounted back in place before the
 * first start, a copy of the machine's overlay2 layer directory: the upper and work dirs hold
 * everything the learner writes anywhere in the root filesystem. Writes past the cap fail with
 * ENOSPC inside the machine; the files stay across a stop and start. A host reboot drops the
 * mounts, so `reattach` restores them before a stopped machine starts again (until then a start
 * fails: the /etc/hosts source is missing). Removing the container unmounts the layer bind
 * (Docker unmounts what is under the directories it deletes); `release` removes the rest.
 * A machine's image is a spare formatted ahead of need when one is ready (SpareDisks), else made
 * on the spot; either way a fresh one that no other machine has had.
 */
export type MachineFiles = { hosts: string; hostname: string; 'resolv.conf': string };
export class MachineDisks {
  constructor(
    private readonly docker: Docker,
    private readonly dir: string,
    private readonly sizeMb: number,
    readonly spares?: SpareDisks,
  ) {}

  image(name: string): string {
    return path.join(this.dir, `${name}.img`);
  }

  private root(name: string): string {
    return path.join(this.dir, name);
  }

  /**
   * Why this host cannot use the mechanism, or undefined when it can. Docker must share this
   * process's view of its data directory (not Docker in a VM), and mounting needs root.
   */
  async unavailable(): Promise<string | undefined> {
    if (process.getuid?.() !== 0) return 'the server is not running as root';
    const info = (await this.docker.info()) as { Driver?: string; DockerRootDir?: string };
    if (info.Driver !== 'overlay2') return `the storage driver is ${info.Driver ?? 'unknown'}, not overlay2`;
    const layers = path.join(info.DockerRootDir ?? '/var/lib/docker', 'overlay2');
    if (!existsSync(layers)) return `Docker's data directory is not visible here (${layers})`;
    return undefined;
  }

  /** Before the container is created: a fresh image, mounted, with the machine's files; returns their mounts. */
  async prepare(name: string, files: MachineFiles): Promise<Docker.MountSettings[]> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const image = this.image(name);
    // A spare, or a new image: never an existing file (EEXIST), so never another machine's disk.
    if (!(await this.spares?.take(image))) await makeImage(image, this.sizeMb);
    this.spares?.fill();
    try {
      const root = this.root(name);
      await mkdir(root, { mode: 0o700 });
      await this.mountRoot(name);
      await mkdir(path.join(root, 'etc'), { mode: 0o755 });
      for (const [file, text] of Object.entries(files))
        await writeFile(path.join(root, 'etc', file), text, { mode: 0o644 });
    } catch (error) {
      await this.release(name).catch(() => undefined);
      throw error;
    }
    return Object.keys(files).map((file) => ({
      Type: 'bind',
      Source: path.join(this.root(name), 'etc', file),
      Target: `/etc/${file}`,
    }));
  }

  /** After create, before the first start: the writable layer moves onto the image. */
  async attachLayer(containerId: string, name: string): Promise<void> {
    const layer = await this.layerDir(containerId);
    if (!layer) throw new Error('no overlay2 layer directory');
    await copyLayer(layer, path.join(this.root(name), 'layer'));
    await this.bindLayer(name, layer);
  }

  /** At server start: remounts what a host reboot unmounted. A running machine is left alone (remounting under it would hide its files). */
  async reattach(containerId: string, name: string, running: boolean): Promise<'ok' | 'no-disk' | 'running-unmounted'> {
    if (!existsSync(this.image(name))) return 'no-disk';
    const layer = await this.layerDir(containerId);
    if (!layer) return 'no-disk';
    const mounts = await mountPoints();
    if (mounts.has(layer) && mounts.has(this.root(name))) return 'ok';
    if (running) return 'running-unmounted';
    if (!mounts.has(this.root(name))) await this.mountRoot(name);
    // A server killed between the create and the first start never moved the layer: it does so now.
    if (!existsSync(path.join(this.root(name), 'layer'))) await copyLayer(layer, path.join(this.root(name), 'layer'));
    await this.bindLayer(name, layer);
    return 'ok';
  }

  /** After the container is gone: every mount of the image, the image and its mount point. */
  async release(name: string): Promise<void> {
    const root = this.root(name);
    const infos = await mountInfo();
    const device = infos.find((m) => m.point === root)?.device;
    if (device) {
      const ours = infos.filter((m) => m.device === device).map((m) => m.point);
      // Deepest first; the root last, which frees the loop device (mounted with autoclear).
      for (const point of ours.sort((a, b) => b.length - a.length))
        await hostCommand('umount', [point]).catch(() => undefined);
    }
    await rm(root, { recursive: true, force: true });
    await rm(this.image(name), { force: true });
  }

  /** Machine names (Docker container names) that have a disk image here, optionally by prefix. */
  async names(prefix = ''): Promise<string[]> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    return files.filter((f) => f.endsWith('.img') && f.startsWith(prefix)).map((f) => f.slice(0, -'.img'.length));
  }

  private async mountRoot(name: string): Promise<void> {
    await hostCommand('mount', ['-o', 'loop,discard', this.image(name), this.root(name)]);
  }

  private async bindLayer(name: string, layer: string): Promise<void> {
    if (!(await mountPoints()).has(layer))
      await hostCommand('mount', ['--bind', path.join(this.root(name), 'layer'), layer]);
  }

  /** The container's overlay2 directory: its `diff` (upper) and `work` dirs must share one mount. */
  private async layerDir(containerId: string): Promise<string | undefined> {
    const info = await this.docker.getContainer(containerId).inspect();
    // The typings know only devicemapper's fields; overlay2 reports its directories here.
    const data = info.GraphDriver.Data as unknown as Record<string, string | undefined> | undefined;
    const upper = info.GraphDriver.Name === 'overlay2' ? data?.UpperDir : undefined;
    return upper ? path.dirname(upper) : undefined;
  }
}

interface MountEntry {
  device: string;
  point: string;
}

/** This process's mounts, from /proc/self/mountinfo (mount points have spaces escaped as \040). */
async function mountInfo(): Promise<MountEntry[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(' ');
      const point = (fields[4] ?? '').replace(/\\([0-7]{3})/g, (_m, octal: string) =>
        String.fromCharCode(parseInt(octal, 8)),
      );
      return { device: fields[2] ?? '', point };
    });
}

async function mountPoints(): Promise<Set<string>> {
  return new Set((await mountInfo()).map((m) => m.point));
}
