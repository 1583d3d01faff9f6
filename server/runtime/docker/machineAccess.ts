import type Docker from 'dockerode';
import {
  HostAccessUnavailable,
  type ExecOptions,
  type ExecResult,
  type HostExecOptions,
  type LabDeployment,
  type LabMachine,
  type MachineFile,
  type TerminalSize,
  type TerminalStream,
} from '../LabRuntime';
import { execInContainer } from './dockerExec';
import type { HostSpawner } from './hostSpawner';
import type { MachineShells } from './machineShells';
import { spawnInNetns, type ContainerPids } from './netnsExec';
import { readContainerFile } from './readContainerFile';
import { readFileInRoot } from './readFileInRoot';

/** One machine of a deployment, by its id; an unknown one is an error. */
export function machineOf(deployment: LabDeployment, machineId: string): LabMachine {
  const machine = deployment.machines.find((m) => m.id === machineId);
  if (!machine) throw new Error(`unknown machine "${machineId}"`);
  return machine;
}

/**
 * Reaching into a running machine: commands inside it or in its network namespace, its files,
 * its learner shell. Host-side where the server can (the helper spawner when there is one),
 * through Docker's API otherwise.
 */
export class MachineAccess {
  constructor(
    private readonly docker: Docker,
    private readonly pids: ContainerPids,
    private readonly shells: MachineShells,
    private readonly spawner: HostSpawner | undefined,
  ) {}

  // async, so an unknown machine is a rejected promise like every other failure, never a throw.
  async exec(
    deployment: LabDeployment,
    machineId: string,
    command: string[],
    options?: ExecOptions,
  ): Promise<ExecResult> {
    return execInContainer(this.container(deployment, machineId), command, options);
  }

  async netnsExec(
    deployment: LabDeployment,
    machineId: string,
    command: string[],
    options?: HostExecOptions,
  ): Promise<ExecResult> {
    const pid = await this.pids.pid(machineOf(deployment, machineId).ref);
    // Streams (a monitor) are few and long: spawned here. Short reads go through the spawner.
    if (this.spawner && !options?.onStdout) return this.spawner.run(pid, command, options);
    return spawnInNetns(pid, command, options);
  }

  /** Host-side through the container's root when possible; Docker's archive API otherwise. */
  async readFile(deployment: LabDeployment, machineId: string, path: string): Promise<MachineFile | undefined> {
    const ref = machineOf(deployment, machineId).ref;
    const pid = await this.pids.pid(ref).catch(() => undefined);
    if (pid !== undefined) {
      try {
        const root = `/proc/${pid}/root`;
        return await (this.spawner ? this.spawner.readFile(root, path) : readFileInRoot(root, path));
      } catch (error) {
        if (!(error instanceof HostAccessUnavailable)) throw error;
      }
    }
    return readContainerFile(this.container(deployment, machineId), path);
  }

  async openTerminal(deployment: LabDeployment, machineId: string, size: TerminalSize): Promise<TerminalStream> {
    return this.shells.open(deployment.deploymentId, machineOf(deployment, machineId), size);
  }

  private container(deployment: LabDeployment, machineId: string): Docker.Container {
    return this.docker.getContainer(machineOf(deployment, machineId).ref);
  }
}
