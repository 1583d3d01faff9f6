import type Docker from 'dockerode';
import type { LabMachine, TerminalSize, TerminalStream } from '../LabRuntime';
import { openMachineTerminal } from './machineTerminal';
import { startShell } from './startShell';
import { hostShellSocket, terminalVolumeName } from './terminalVolume';
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
  /**
   * Where each shell volume's socket is on the host: fixed for the volume's name (a reset keeps
   * the volume), so a terminal opened again skips asking Docker. Bounded: forgotten wholesale.
   */
  private readonly sockets = new Map<string, string>();

  constructor(
    private readonly docker: Docker,
    private readonly namespace: string,
    private readonly log?: Log,
  ) {}

  /** Also learns where the shell's socket is on the host, so the first terminal only connects. */
  prepare(deploymentId: string, machine: LabMachine, clock: PhaseClock = untimed): void {
    const volumeName = terminalVolumeName(this.namespace, deploymentId, machine.id);
    const preparing = clock('shell', () =>
      Promise.all([startShell(this.docker.getContainer(machine.ref), machine.hostname), this.hostSocket(volumeName)]),
    )
      .then(
        () => undefined,
        () => undefined,
      )
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
      hostSocket: (volumeName) => this.hostSocket(volumeName),
    });
  }

  private async hostSocket(volumeName: string): Promise<string | undefined> {
    const known = this.sockets.get(volumeName);
    if (known !== undefined) return known;
    const found = await hostShellSocket(this.docker, volumeName);
    if (this.sockets.size >= 10_000) this.sockets.clear();
    if (found !== undefined) this.sockets.set(volumeName, found);
    return found;
  }
}
