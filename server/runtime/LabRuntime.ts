import type { ExecOptions, ExecResult, LabDeployment, Placement } from '../../labkit/deployment';
import type { MachineFile } from '../../labkit/machineFile';
import type { Topology } from '../../labkit/topology';

// The instance types belong to the lab kit (checkers read them); the runtime produces them.
export type {
  ExecOptions,
  ExecResult,
  LabDeployment,
  LabMachine,
  LabNetwork,
  Placement,
} from '../../labkit/deployment';
export type { MachineFile } from '../../labkit/machineFile';

export interface HostExecOptions extends ExecOptions {
  /** Receives stdout as it arrives (then it is not collected into the result). */
  onStdout?: (chunk: Buffer) => void;
  /** Aborting stops the program; the promise still resolves with what it printed. */
  signal?: AbortSignal;
}

/** A sleeping lab cannot wake: this machine no longer exists (removed behind the server's back). */
export class MachineGone extends Error {
  override readonly name = 'MachineGone';
  constructor(readonly machineId: string) {
    super(`machine ${machineId} no longer exists`);
  }
}

/** Host-side access is not possible here (no host PID namespace, tool missing): use exec instead. */
export class HostAccessUnavailable extends Error {
  override readonly name = 'HostAccessUnavailable';
}

/** A machine's file is larger than the server reads (readFile). */
export class FileTooLarge extends Error {
  override readonly name = 'FileTooLarge';
  constructor(
    readonly path: string,
    readonly limitBytes: number,
  ) {
    super(`${path} is larger than ${limitBytes} bytes`);
  }
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** A live interactive shell. Output arrives through onData until onExit fires. */
export interface TerminalStream {
  write(data: Buffer | string): void;
  resize(size: TerminalSize): Promise<void>;
  /** Stop reading from the container (back-pressure); resume() restarts. */
  pause(): void;
  resume(): void;
  onData(listener: (chunk: Buffer) => void): () => void;
  onExit(listener: () => void): () => void;
  close(): void;
}

/** What the runtime notices on its own: a machine that stopped unasked, the engine going away and coming back. */
export type RuntimeEvent =
  | { type: 'machine-stopped'; deploymentId: string; machineId: string }
  | { type: 'engine-down' }
  | { type: 'engine-up' };

export interface CreateOptions {
  /** Ask for this placement (a reset keeps the lab's addresses); another free one if it is taken. */
  slot?: Placement;
}

/**
 * Everything the product needs from a container platform: a required core that any platform
 * gives (Docker today; Kubernetes for classes that outgrow one host, see docs/scaling.md), and
 * optional `capabilities` that callers check for, degrading with a clear message without them.
 * The placement (`LabDeployment.slot`) is the runtime's own: others store it and hand it back.
 */
export interface LabRuntime {
  readonly capabilities: RuntimeCapabilities;

  // The core: make and remove deployments, reach their machines, know what exists and what happens.
  create(deploymentId: string, topology: Topology, options?: CreateOptions): Promise<LabDeployment>;
  /** Removes the deployment's machines and gives up its placement. A second destroy is harmless. */
  destroy(deploymentId: string): Promise<void>;
  exec(deployment: LabDeployment, machineId: string, command: string[], options?: ExecOptions): Promise<ExecResult>;
  openTerminal(deployment: LabDeployment, machineId: string, size: TerminalSize): Promise<TerminalStream>;
  /** Reads a regular file of the machine without running anything inside it; undefined if missing. */
  readFile(deployment: LabDeployment, machineId: string, path: string): Promise<MachineFile | undefined>;
  /** Lab session ids that currently have machines or networks, with their resources. */
  list(): Promise<string[]>;
  /** Reports RuntimeEvents until the returned function is called. */
  watch(listener: (event: RuntimeEvent) => void): () => void;

  // Upkeep, also required: each is a few calls of the core's kind on any platform.
  /** Reboots one machine: what its disk holds stays, what only ran in memory is gone. */
  restart(deployment: LabDeployment, machineId: string): Promise<void>;
  /**
   * Fresh machines in place of the lab's (every file on them lost), on the same placement, so
   * the addresses stay. A sleeping lab gets its placement back first (its old one if free).
   * Returns the new lab; the lab session id stays.
   */
  reset(deployment: LabDeployment, topology: Topology): Promise<LabDeployment>;
  /** Starts the lab's stopped machines again (boot, shells), e.g. after the engine came back. */
  revive(deployment: LabDeployment): Promise<void>;
  /** Resolves once the container engine answers; rejects with its error otherwise. */
  ping(): Promise<void>;
  /** Removes every lab whose session id is not in `known`. Returns the removed ids. */
  removeOrphans(known: ReadonlySet<string>): Promise<string[]>;
  /** Removes what the runtime keeps ready for labs to come (e.g. spare networks); labs stay. */
  close(): Promise<void>;
}

/** What a runtime may offer beyond the core. A missing one is undefined. */
export interface RuntimeCapabilities {
  /** Stop a lab's machines with their disks kept, and boot them again later. */
  sleep?: SleepCapability;
  /** Trusted host programs in a machine's namespaces (the server runs on the machines' host). */
  hostNetns?: HostNetnsCapability;
  /** Host state (firewall rules, disk mounts) to re-establish at server start. */
  hostSetup?: HostSetupCapability;
}

export interface SleepCapability {
  /**
   * Stops every machine, keeping its disk, and gives up the lab's placement, so a sleeping lab
   * holds no addresses. Nothing runs and nothing is reachable until `wake`. Idempotent.
   */
  sleep(deployment: LabDeployment): Promise<void>;
  /**
   * Boots a sleeping lab's machines again, as a reboot does (a firewall loads its saved rules
   * file), and resolves once they are ready. The lab takes its old placement when it is free
   * (same addresses), else another; returns the lab as it now is. Throws PoolExhaustedError when
   * none is free (the lab stays asleep, files kept) and MachineGone when a machine no longer
   * exists. Idempotent.
   */
  wake(deployment: LabDeployment, topology: Topology): Promise<LabDeployment>;
}

export interface HostNetnsCapability {
  /**
   * Runs a trusted program of the server's host inside the machine's network namespace (its
   * interfaces and netfilter tables, the host's binaries), so a root learner cannot replace it.
   * Throws HostAccessUnavailable when this host cannot enter it after all.
   */
  netnsExec(
    deployment: LabDeployment,
    machineId: string,
    command: string[],
    options?: HostExecOptions,
  ): Promise<ExecResult>;
}

export interface HostSetupCapability {
  /**
   * Re-establishes what the runtime keeps on the host for its existing labs (firewall rules,
   * disk mounts), which a host reboot or a crash may have lost. Called at server start, before
   * any lab is adopted or woken.
   */
  prepareHost(): Promise<void>;
}
