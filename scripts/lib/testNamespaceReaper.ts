/**
 * What killed test runs left on the host: the labs (containers, networks, terminal volumes and
 * loop-mounted machine disks) of every test namespace whose owning process is dead, and the
 * processes still running in it (a server a killed run started: stopped first, so it ends its
 * own labs). A server reaps its own namespace when it starts; a test namespace is never started
 * again, so nobody else would. A namespace is left alone while its owner lives.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { loadConfig } from '../../server/config';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { LABEL } from '../../server/runtime/docker/labels';
import { ownerOf } from '../../test/support/testNamespace';
import { processStat, stopOrphans, testProcesses, type TestProcess } from './testProcesses';

export interface ReaperOptions {
  /** Directories that may hold machine disk images besides those mounted now (a default DATA_DIR's). */
  diskDirs: string[];
  log: (line: string) => void;
  /** Only namespaces this accepts (a test keeps to its own); every test namespace by default. */
  only?: (namespace: string) => boolean;
  /** How long an orphaned server may take to end its labs after SIGTERM before it is killed. */
  stopGraceMs?: number;
}

/** Longer than a server's own cut-off for ending its labs at shutdown (stopOnSignals). */
const STOP_GRACE_MS = 150_000;

/** Removes the labs of dead test namespaces; resolves with the namespaces reaped. */
export async function reapDeadTestNamespaces(options: ReaperOptions): Promise<string[]> {
  const docker = new Docker();
  const found = await testNamespacesOnHost(docker, options.diskDirs);
  const running = testProcesses();
  for (const p of running) noteProcess(found, p);
  const dead = [...found].filter(
    ([namespace, facts]) => (options.only?.(namespace) ?? true) && !ownerLives(facts.owner, facts.createdAt),
  );
  const orphans = running.filter((p) => dead.some(([namespace]) => namespace === p.namespace));
  if (orphans.length > 0) {
    options.log(`stopping ${orphans.length} process(es) of killed test runs: ${orphans.map((p) => p.pid).join(', ')}`);
    await stopOrphans(orphans, options.stopGraceMs ?? STOP_GRACE_MS);
  }
  const reaped: string[] = [];
  for (const [namespace, facts] of dead) {
    try {
      // A stopped server may have mounted disks meanwhile: where they are is read again.
      await reap(namespace, new Set([...facts.diskDirs, ...diskDirsOf(namespace, options.diskDirs)]));
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
  /** When its oldest Docker object was made or its oldest process started (ms since the epoch), if it has any. */
  createdAt: number | undefined;
  diskDirs: Set<string>;
}

async function testNamespacesOnHost(docker: Docker, extraDiskDirs: string[]): Promise<Map<string, NamespaceFacts>> {
  const found = new Map<string, NamespaceFacts>();
  const note = (namespace: string | undefined, createdAt?: number, diskDir?: string): void =>
    noteNamespace(found, namespace, createdAt, diskDir);
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
  for (const [namespace, dir] of diskImages(extraDiskDirs)) note(namespace, undefined, dir);
  return found;
}

function noteNamespace(
  found: Map<string, NamespaceFacts>,
  namespace: string | undefined,
  createdAt?: number,
  diskDir?: string,
): void {
  const owner = namespace === undefined ? undefined : ownerOf(namespace);
  if (namespace === undefined || owner === undefined) return;
  const facts = found.get(namespace) ?? { owner, createdAt: undefined, diskDirs: new Set<string>() };
  if (createdAt !== undefined) facts.createdAt = Math.min(facts.createdAt ?? createdAt, createdAt);
  if (diskDir !== undefined) facts.diskDirs.add(diskDir);
  found.set(namespace, facts);
}

/** A process of the namespace: it was started after its owner, so the owner is older than it. */
function noteProcess(found: Map<string, NamespaceFacts>, p: TestProcess): void {
  noteNamespace(found, p.namespace, p.startedAt);
}

/** Machine disk images, [namespace, directory]: named ipl-<namespace>-<session>-<machine>.img. */
function diskImages(extraDiskDirs: readonly string[]): [string, string][] {
  const images: [string, string][] = [];
  // A test namespace has no single hyphen before its `--<pid>`.
  for (const dir of new Set([...extraDiskDirs, ...mountedDiskDirs()])) {
    for (const file of readdirSync(dir, { withFileTypes: true })) {
      const namespace = /^ipl-([a-z0-9]+--[0-9]+)-.+\.img$/.exec(file.name)?.[1];
      if (file.isFile() && namespace) images.push([namespace, dir]);
    }
  }
  return images;
}

function diskDirsOf(namespace: string, extraDiskDirs: readonly string[]): string[] {
  return diskImages(extraDiskDirs)
    .filter(([ns]) => ns === namespace)
    .map(([, dir]) => dir);
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

/**
 * Whether the owner still runs. A process with its pid that started after the namespace's first
 * object was made is another process that got the pid again: the owner is gone.
 */
function ownerLives(pid: number, createdAt: number | undefined): boolean {
  const started = processStat(pid)?.startedAt;
  if (started === undefined) return false;
  // Start times are in clock ticks and Docker's in seconds: a second's leeway either way.
  return createdAt === undefined || started <= createdAt + 1000;
}

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
