import type Docker from 'dockerode';
import type { LabMachine, TerminalSize, TerminalStream } from '../LabRuntime';
import { openMachineTerminal } from './machineTerminal';
import { startShell } from './startShell';
import { terminalVolumeName } from './terminalVolume';
import type { Log } from '../../log/Log';
import { untimed, type PhaseClock } from './phaseClock';

/**
 * The learner shells of the machines. Each starts in the background as soon as its machine is
 * up, so the first terminal (usually a warm lab's, seconds later) only has to connect. Best
 * effort: opening a terminal starts the shell anyway if it is missing, after this has settled.
 */
export class MachineShells {
  /** Shell starts in flight, by container id. */
  private readonly preparing = new Map<string, Promise<void>>();

  constructor(
    private readonly docker: Docker,
    private readonly namespace: string,
    private readonly log?: Log,
  ) {}

  prepare(machine: LabMachine, clock: PhaseClock = untimed): void {
    const preparing = clock('shell', () => startShell(this.docker.getContainer(machine.ref), machine.hostname))
      .catch(() => undefined)
      .finally(() => {
        if (this.preparing.get(machine.ref) === preparing) this.preparing.delete(machine.ref);
      });
    this.preparing.set(machine.ref, preparing);
  }

  async open(deploymentId: string, machine: LabMachine, size: TerminalSize): Promise<TerminalStream> {
    // Two shell starts at once could each create a dtach master; one would never be seen.
    await this.preparing.get(machine.ref);
    return openMachineTerminal(this.docker, {
      container: this.docker.getContainer(machine.ref),
      volumeName: terminalVolumeName(this.namespace, deploymentId, machine.id),
      hostname: machine.hostname,
      size,
      onFallback: (why) => this.log?.(`terminal ${deploymentId}/${machine.id}: ${why}; using docker exec`),
    });
  }
}
