import { errorMessage } from '../log/errorMessage';
import type { LabRuntime, RuntimeEvent } from '../runtime/LabRuntime';
import type { LabSessions } from './LabSessions';
import type { Log } from '../log/Log';

export const ENGINE_DOWN_PROBLEM =
  'The container engine (Docker) stopped: your machines come back when it runs again, or Reset lab to get fresh machines';

export function machineStoppedProblem(label: string): string {
  return `${label} stopped unexpectedly: Reset lab to get fresh machines`;
}

/**
 * When Docker itself fails. A machine that dies unasked (killed, crashed) marks its lab broken,
 * so the page and the checks say so instead of retrying a dead shell. When the engine goes away
 * every ready lab is broken; when it comes back each broken lab's machines are started again
 * (fresh shells, same files), and a lab that cannot be revived stays broken, offering a reset.
 */
export class MachineFailures {
  private unwatch: (() => void) | undefined;
  private reviving: Promise<void> = Promise.resolve();

  constructor(
    private readonly sessions: LabSessions,
    private readonly runtime: LabRuntime,
    private readonly log: Log,
  ) {}

  start(): void {
    this.unwatch ??= this.runtime.watch((event) => this.handle(event));
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  private handle(event: RuntimeEvent): void {
    if (event.type === 'machine-stopped') {
      void this.machineStopped(event.deploymentId, event.machineId);
    } else if (event.type === 'engine-down') {
      this.log('Docker stopped answering; labs are marked broken until it is back');
      for (const session of this.sessions.list())
        if (session.status === 'ready') this.sessions.markBroken(session.id, ENGINE_DOWN_PROBLEM);
    } else {
      this.log('Docker answers again; starting the machines of broken labs');
      this.reviving = this.reviving.then(() => this.reviveAll());
    }
  }

  /** Only a machine that really does not answer breaks its lab: a late event of a deliberate stop must not. */
  private async machineStopped(deploymentId: string, machineId: string): Promise<void> {
    const session = this.sessions.list().find((s) => s.deployment?.deploymentId === deploymentId);
    const deployment = session?.deployment;
    if (!session || !deployment || session.status !== 'ready') return;
    const alive = await this.runtime.exec(deployment, machineId, ['true'], { timeoutMs: 5000 }).then(
      (result) => result.exitCode === 0,
      () => false,
    );
    if (alive || session.deployment !== deployment) return;
    const label = deployment.machines.find((m) => m.id === machineId)?.label ?? machineId;
    this.log(`lab ${session.id}: ${label} stopped unexpectedly`);
    this.sessions.markBroken(session.id, machineStoppedProblem(label));
  }

  private async reviveAll(): Promise<void> {
    const broken = this.sessions.list().filter((s) => s.status === 'broken' && s.deployment);
    await Promise.all(
      broken.map(async (session) => {
        const deployment = session.deployment;
        if (!deployment) return;
        try {
          await this.runtime.revive(deployment);
          // A reset may have replaced the machines meanwhile.
          if (session.deployment === deployment) this.sessions.markRecovered(session.id);
        } catch (error) {
          this.log(`lab ${session.id} could not be revived (${errorMessage(error)}); it offers a reset`);
        }
      }),
    );
  }
}
