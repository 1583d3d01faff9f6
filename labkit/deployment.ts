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

export interface LabDeployment {
  deploymentId: string;
  /** Slot in the address pool: each network template with "{n}" filled with it. */
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
