import type { Topology } from './topology';

/** Where a lab's networks and machines actually landed. */
export interface LabNetwork {
  id: string;
  label: string;
  /** e.g. "10.1.2.0/24" */
  subnet: string;
}

export interface LabMachine {
  id: string;
  label: string;
  hostname: string;
  /** network id -> IPv4 address */
  addresses: Record<string, string>;
  /** Runtime-specific handle (a container id for Docker). */
  ref: string;
}

export interface LabInstance {
  labSessionId: string;
  /** Slot in the address pool: slot 1 gets the chapter's own addresses. */
  slot: number;
  networks: LabNetwork[];
  machines: LabMachine[];
  createdAt: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  timedOut: boolean;
}

export interface ExecOptions {
  timeoutMs?: number;
  /** Written to the command's stdin, then stdin is closed. */
  stdin?: string;
}

/**
 * Output of a host program run inside a machine's network namespace. `trusted` is false when
 * the server could not reach the namespace (not on the Docker host, not root) and the command
 * ran inside the machine through `docker exec` instead, i.e. through programs the learner controls.
 */
export interface HostExecResult extends ExecResult {
  trusted: boolean;
}

/** A file as read from a machine without running anything inside it. */
export interface MachineFile {
  /** 'other': the path exists but is not a regular file (a directory, a symlink, a device...). */
  kind: 'file' | 'missing' | 'other';
  /** UTF-8 text, at most `maxBytes` of it. */
  text: string;
  /** Permission bits, e.g. 0o600. */
  mode: number;
  uid: number;
  gid: number;
  /** Last modification, in ms since the epoch. */
  mtimeMs: number;
  size: number;
  /** The file was longer than `maxBytes`; `text` holds its start. */
  truncated: boolean;
  /** False when it had to be read with `cat` through `docker exec` (see HostExecResult). */
  trusted: boolean;
}

export interface ReadFileOptions {
  /** Read at most this many bytes (default 1 MiB): a learner may leave a huge file in the way. */
  maxBytes?: number;
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
export interface LabRuntime {
  create(labSessionId: string, topology: Topology): Promise<LabInstance>;
  exec(lab: LabInstance, machineId: string, command: string[], options?: ExecOptions): Promise<ExecResult>;
  /**
   * Runs a program of the *server's host* inside the machine's network namespace only (its
   * interfaces, routes, firewall and counters; the host's files and binaries), e.g.
   * `['iptables-nft-save', '-c']` or `['ping', '-c', '1', addr]`. Nothing the learner installed
   * runs, so checkers can trust what it says.
   */
  netnsExec(lab: LabInstance, machineId: string, command: string[], options?: ExecOptions): Promise<HostExecResult>;
  /** Reads a file from the machine's filesystem without running any program inside it. */
  readFile(lab: LabInstance, machineId: string, path: string, options?: ReadFileOptions): Promise<MachineFile>;
  openTerminal(lab: LabInstance, machineId: string, size: TerminalSize): Promise<TerminalStream>;
  restart(lab: LabInstance, machineId: string): Promise<void>;
  destroy(labSessionId: string): Promise<void>;
  /**
   * Re-establishes what the runtime keeps on the host for its existing labs (firewall rules,
   * disk mounts), which a host reboot or a crash may have lost. Called at server start, before
   * any lab is adopted or woken.
   */
  prepareHost(): Promise<void>;
  /** Lab session ids that currently have machines or networks, with their resources. */
  list(): Promise<string[]>;
  /** Removes every lab whose session id is not in `known`. Returns the removed ids. */
  removeOrphans(known: ReadonlySet<string>): Promise<string[]>;
}
