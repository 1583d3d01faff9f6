/**
 * What killed test runs left on the host: the labs (containers, networks, terminal volumes and
 * loop-mounted machine disks) of every test namespace whose owning process is dead. A server
 * reaps its own namespace when it starts; a test namespace is never started again, so nobody
 * else would. A namespace is left alone while its owner lives, or while any process on the host
 * was started with it as its LAB_INSTANCE (a server a test started, still running).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { loadConfig } from '../../server/config';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { LABEL } from '../../server/runtime/docker/labels';
import { ownerOf } from '../../test/support/testNamespace';

export interface ReaperOptions {
  /** Directories that may hold machine disk images besides those mounted now (a default DATA_DIR's). */
  diskDirs: string[];
  log: (line: string) => void;
}

/** Removes the labs of dead test namespaces; resolves with the namespaces reaped. */
export async function reapDeadTestNamespaces(options: ReaperOptions): Promise<string[]> {
  const docker = new Docker();
  const found = await testNamespacesOnHost(docker, options.diskDirs);
  const claimed = namespacesInEnvironments();
  const reaped: string[] = [];
  for (const [namespace, facts] of found) {
    if (claimed.has(namespace) || ownerLives(facts.owner, facts.createdAt)) continue;
    try {
      await reap(namespace, facts.diskDirs);
      reaped.push(namespace);
      options.log(`removed the labs of ${namespace} (its test process ${facts.owner} is gone)`);
    } catch (error) {
      options.log(`could not remove the labs of ${namespace}: ${String(error)}`);
    }
  }
  return reaped;
}

interface NamespaceFacts {
  owner: number;
  /** When its oldest Docker object was made (ms since the epoch), if it has any. */
  createdAt: number | undefined;
  diskDirs: Set<string>;
}

async function testNamespacesOnHost(docker: Docker, extraDiskDirs: string[]): Promise<Map<string, NamespaceFacts>> {
  const found = new Map<string, NamespaceFacts>();
  const note = (namespace: string | undefined, createdAt?: number, diskDir?: string): void => {
    const owner = namespace === undefined ? undefined : ownerOf(namespace);
    if (namespace === undefined || owner === undefined) return;
    const facts = found.get(namespace) ?? { owner, createdAt: undefined, diskDirs: new Set<string>() };
    if (createdAt !== undefined) facts.createdAt = Math.min(facts.createdAt ?? createdAt, createdAt);
    if (diskDir !== undefined) facts.diskDirs.add(diskDir);
    found.set(namespace, facts);
  };
  const filters = JSON.stringify({ label: [LABEL.namespace] });
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  for (const c of containers) note(c.Labels[LABEL.namespace], c.Created * 1000);
  for (const n of networks) note(n.Labels?.[LABEL.namespace], Date.parse(n.Created));
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Docker sends null Volumes and Labels, whatever the types say
  for (const v of volumes.Volumes ?? []) {
    const { CreatedAt: created, Labels: labels } = v as { CreatedAt?: string; Labels: Record<string, string> | null };
    note(labels?.[LABEL.namespace], created ? Date.parse(created) : undefined);
  }
  // Disk images are named ipl-<namespace>-<session>-<machine>.img; a test namespace has no single hyphen before its `--<pid>`.
  for (const dir of new Set([...extraDiskDirs, ...mountedDiskDirs()])) {
    for (const file of readdirSync(dir, { withFileTypes: true })) {
      const namespace = /^ipl-([a-z0-9]+--[0-9]+)-.+\.img$/.exec(file.name)?.[1];
      if (file.isFile() && namespace) note(namespace, undefined, dir);
    }
  }
  return found;
}

/** Directories of loop-mounted machine disks (mount points named ipl-…), from this process's mount table. */
function mountedDiskDirs(): string[] {
  const dirs = new Set<string>();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const point = (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_m, o: string) =>
      String.fromCharCode(parseInt(o, 8)),
    );
    if (path.basename(point).startsWith('ipl-') && existsSync(`${point}.img`)) dirs.add(path.dirname(point));
  }
  return [...dirs];
}

/** LAB_INSTANCE of every process on the host that has one (root reads every environment). */
function namespacesInEnvironments(): Set<string> {
  const names = new Set<string>();
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0'))
        if (entry.startsWith('LAB_INSTANCE=')) names.add(entry.slice('LAB_INSTANCE='.length));
    } catch {
      // Gone meanwhile, or a kernel thread.
    }
  }
  return names;
}

/**
 * Whether the owner still runs. A process with its pid that started after the namespace's first
 * object was made is another process that got the pid again: the owner is gone.
 */
function ownerLives(pid: number, createdAt: number | undefined): boolean {
  const started = processStart(pid);
  if (started === undefined) return false;
  // Start times are in clock ticks and Docker's in seconds: a second's leeway either way.
  return createdAt === undefined || started <= createdAt + 1000;
}

/** When a process started (ms since the epoch), or undefined when there is no such process. */
function processStart(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 22 (starttime, clock ticks after boot), counted after the command's closing parenthesis.
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
  return bootSeconds * 1000 + (ticks * 1000) / CLOCK_TICKS;
}
/** USER_HZ: 100 on every Linux architecture Docker runs on. */
const CLOCK_TICKS = 100;

/** The namespace's labs through the runtime's own removal, once per directory holding its disks. */
async function reap(namespace: string, diskDirs: Set<string>): Promise<void> {
  const dirs = diskDirs.size > 0 ? [...diskDirs] : [undefined];
  for (const dir of dirs) {
    const env = { ...process.env, LAB_INSTANCE: namespace, LAB_SPARE_NETWORKS: '0' };
    const runtime = DockerRuntime.fromConfig(loadConfig(dir ? { ...env, LAB_DISK_DIR: dir } : env).runtime);
    await runtime.removeOrphans(new Set());
    // The free slots' networks a server keeps ready for its next lab.
    await runtime.close();
  }
}
