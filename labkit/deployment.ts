/** A running lab as checkers see it: where its networks and machines actually landed. */

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

/**
 * Where the runtime placed a deployment (Docker: its address slot, the number each network
 * template's "{n}" is filled with). Opaque outside the runtime: stored, compared and handed back
 * to it, never computed with.
 */
export type Placement = number | string;

export interface LabDeployment {
  deploymentId: string;
  /** The runtime's placement (see `Placement`). */
  slot: Placement;
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
