import type { ExecOptions, ExecResult, LabInstance } from '../../labkit/instance';
import type { MachineFile } from '../../labkit/machineFile';
import type { Topology } from '../../labkit/topology';

// The instance types belong to the lab kit (checkers read them); the runtime produces them.
export type { ExecOptions, ExecResult, LabInstance, LabMachine, LabNetwork } from '../../labkit/instance';
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

/**
 * Everything the product needs from a container platform. Docker implements it today;
 * a Kubernetes runtime can implement it for classes that outgrow one host.
 */
export interface CreateOptions {
  /** Ask for this address slot (a reset keeps the lab's addresses); another free one if it is taken. */
  slot?: number;
}

/** What the runtime notices on its own: a machine that stopped unasked, the engine going away and coming back. */
export type RuntimeEvent =
  | { type: 'machine-stopped'; labSessionId: string; machineId: string }
  | { type: 'engine-down' }
  | { type: 'engine-up' };

export interface LabRuntime {
  create(labSessionId: string, topology: Topology, options?: CreateOptions): Promise<LabInstance>;
  exec(lab: LabInstance, machineId: string, command: string[], options?: ExecOptions): Promise<ExecResult>;
  /**
   * Runs a trusted program of the server's host inside the machine's network namespace (its
   * interfaces and netfilter tables, the host's binaries), so a root learner cannot replace it.
   * Throws HostAccessUnavailable when the server is not on the container host.
   */
  netnsExec(lab: LabInstance, machineId: string, command: string[], options?: HostExecOptions): Promise<ExecResult>;
  /** Reads a regular file of the machine without running anything inside it; undefined if missing. */
  readFile(lab: LabInstance, machineId: string, path: string): Promise<MachineFile | undefined>;
  openTerminal(lab: LabInstance, machineId: string, size: TerminalSize): Promise<TerminalStream>;
  restart(lab: LabInstance, machineId: string): Promise<void>;
  /**
   * Stops every machine, keeping its disk, and gives up the lab's networks, so a sleeping lab
   * holds no address slot. Nothing runs and nothing is reachable until `wake`. Idempotent.
   */
  sleep(lab: LabInstance): Promise<void>;
  /**
   * Boots a sleeping lab's machines again, as a reboot does (a firewall loads its
   * saved rules file), and resolves once they are ready. The lab takes its old slot
   * when it is free (same addresses), else another; returns the lab as it now is. Throws
   * PoolExhaustedError when no slot is free (the lab stays asleep, files kept) and MachineGone
   * when a machine no longer exists. Idempotent.
   */
  wake(lab: LabInstance, topology: Topology): Promise<LabInstance>;
  /**
   * Fresh machines in place of the lab's (every file on them lost), on the lab's own networks,
   * so the slot and addresses stay. A sleeping lab gets its networks back first (its old slot
   * if free). Returns the new lab; the lab session id stays.
   */
  reset(lab: LabInstance, topology: Topology): Promise<LabInstance>;
  destroy(labSessionId: string): Promise<void>;
  /**
   * Re-establishes what the runtime keeps on the host for its existing labs (firewall rules,
   * disk mounts), which a host reboot or a crash may have lost. Called at server start, before
   * any lab is adopted or woken.
   */
  prepareHost(): Promise<void>;
  /** Resolves once the container engine answers; rejects with its error otherwise. */
  ping(): Promise<void>;
  /** Reports RuntimeEvents until the returned function is called. */
  watch(listener: (event: RuntimeEvent) => void): () => void;
  /** Starts the lab's stopped machines again (boot, shells), e.g. after the engine came back. */
  revive(lab: LabInstance): Promise<void>;
  /** Lab session ids that currently have machines or networks, with their resources. */
  list(): Promise<string[]>;
  /** Removes every lab whose session id is not in `known`. Returns the removed ids. */
  removeOrphans(known: ReadonlySet<string>): Promise<string[]>;
  /** Removes what the runtime keeps ready for labs to come (e.g. spare networks); labs stay. */
  close(): Promise<void>;
}
