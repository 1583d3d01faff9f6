import os from 'node:os';

/**
 * Per-lab costs measured with `npm run bench:class` on a 2-core host (README "Sizing a host").
 * CPU is the limit: keystroke echo p99 stayed under 50 ms up to about 25 active labs per core
 * (learners typing, auto-check on); memory was about 30 MB per lab (three machines and its share of
 * the server), counted here with a 2x margin for learners running heavier commands.
 */
export const PER_LAB = { activeLabsPerCore: 25, memoryMb: 60 } as const;
/** Left to the host itself, the server and Docker. */
const RESERVED_MB = 1024;

export interface HostFacts {
  cores: number;
  memoryMb: number;
}

export const thisHost = (): HostFacts => ({
  cores: os.availableParallelism(),
  memoryMb: Math.floor(os.totalmem() / 2 ** 20),
});

/** How many labs this host can run at once, and why: whichever of CPU and memory runs out first. */
export function labsThatFit(host: HostFacts): { labs: number; reason: string } {
  const byCpu = Math.floor(host.cores * PER_LAB.activeLabsPerCore);
  const byMemory = Math.floor(Math.max(0, host.memoryMb - RESERVED_MB) / PER_LAB.memoryMb);
  const labs = Math.max(1, Math.min(byCpu, byMemory));
  const cpu = `${host.cores} cores x ${PER_LAB.activeLabsPerCore} = ${byCpu}`;
  const memory = `(${host.memoryMb} MB - ${RESERVED_MB} MB reserved) / ${PER_LAB.memoryMb} MB = ${byMemory}`;
  return {
    labs,
    reason:
      byCpu <= byMemory
        ? `CPU-bound: ${cpu}; memory would allow ${byMemory}`
        : `memory-bound: ${memory}; CPU would allow ${byCpu}`,
  };
}

/** Machines of the labs the host teaches (the chapter's lab has three). */
const MACHINES_PER_LAB = 3;
/** The most spare machine disks any host keeps (LAB_SPARE_DISKS's ceiling). */
export const MAX_SPARE_DISKS = 30;

/**
 * Machine disks kept formatted ahead of need: one lab's machines for each lab creation the host
 * runs at once (LAB_START_CONCURRENCY's default, one per core), so a burst of starts or resets
 * takes ready disks while the next are made. A spare is a sparse image: its formatting takes
 * 8.4 MB of real disk at the default LAB_DISK_MB of 256 (66 MB at 4096; most of it the journal),
 * no memory and no CPU once made; mkfs runs one at a time at the lowest CPU priority.
 */
export function spareDisksFor(host: HostFacts): number {
  return Math.min(MAX_SPARE_DISKS, host.cores * MACHINES_PER_LAB);
}
