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
  openTerminal(lab: LabInstance, machineId: string, size: TerminalSize): Promise<TerminalStream>;
  restart(lab: LabInstance, machineId: string): Promise<void>;
  /**
   * Stops every machine, keeping its disk and the lab's networks (so its addresses). Nothing
   * runs and nothing is reachable until `wake`.
   */
  sleep(lab: LabInstance): Promise<void>;
  /**
   * Boots a sleeping lab's machines again, as a reboot does (Machine 1 loads
   * /etc/sysconfig/iptables), and resolves once they are ready. Returns the lab as it now is
   * (a runtime that gives up a sleeping lab's addresses returns the new ones).
   */
  wake(lab: LabInstance): Promise<LabInstance>;
  destroy(labSessionId: string): Promise<void>;
  /** Lab session ids that currently have machines or networks, with their resources. */
  list(): Promise<string[]>;
  /** Removes every lab whose session id is not in `known`. Returns the removed ids. */
  removeOrphans(known: ReadonlySet<string>): Promise<string[]>;
}
