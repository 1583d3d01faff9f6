import { errorMessage } from '../log/errorMessage';
import type { Topology } from '../../labkit/topology';
import { MachineGone, type LabDeployment } from '../runtime/LabRuntime';
import { PoolExhaustedError } from '../runtime/PoolExhaustedError';
import { markAsleep, markAwake } from './awakeClock';
import { LabSessionError } from './LabSessionError';
import type { LabSession, SleepReason } from './labSessionTypes';
import { allows } from './lifecycle';
import type { SessionMachines } from './SessionMachines';
import type { SessionTable } from './SessionTable';

const NO_ROOM = 'This server is running as many labs as it can; your files are kept. Try again in a few minutes';

/**
 * Labs that sleep and wake. Asleep, a lab's machines are stopped with their disks kept, and it
 * holds no address slot and no place in the running-lab limit. Waking takes its old addresses
 * when they are free, others when not (the page shows them), and gives fresh machines, progress
 * kept, when one of the old ones is gone.
 */
export class LabSleep {
  /** Machines stopping, by session: a wake or reset waits for its lab to be fully asleep first. */
  private readonly stopping = new Map<string, Promise<void>>();

  constructor(
    private readonly table: SessionTable,
    private readonly machines: SessionMachines,
  ) {}

  /** Resolves once the session's machines have stopped (at once when none are stopping). */
  async settled(id: string): Promise<void> {
    await this.stopping.get(id);
  }

  /** Every stop in flight, for shutdown. */
  pending(): Promise<void>[] {
    return [...this.stopping.values()];
  }

  /** Stops the lab's machines, keeping their disks. Terminals close first ('sleeping'). */
  async sleep(id: string, reason: SleepReason): Promise<LabSession> {
    const session = this.table.live(id);
    if (!session) throw new LabSessionError('not-found', 'No such lab session');
    if (session.status === 'sleeping') return session;
    // A broken lab's machines are (partly) stopped already: asleep, a Resume starts them all.
    const deployment = session.deployment;
    if (!deployment || !allows(session.status, 'sleeping'))
      throw new LabSessionError('busy', `The lab is ${session.status}; try again in a moment`);
    this.table.move(session, 'sleeping');
    delete session.problem;
    delete session.lastWake;
    markAsleep(session);
    this.table.emit({ type: 'sleeping', session, reason });
    const stopped = this.machines.runtime
      .sleep(deployment)
      .catch((error: unknown) => this.logError(`sleep ${id}`, error));
    this.stopping.set(id, stopped);
    await stopped;
    if (this.stopping.get(id) === stopped) this.stopping.delete(id);
    // Not when a wake, a reset or the end came while the machines were stopping.
    if (!this.table.still(session, 'sleeping')) return session;
    this.table.emit({ type: 'slept', session, reason });
    return session;
  }

  /** Boots a sleeping lab's machines again; refused while the server runs as many labs as it can. */
  async wake(id: string): Promise<LabSession> {
    const session = this.table.live(id);
    if (!session) throw new LabSessionError('not-found', 'No such lab session');
    if (session.status !== 'sleeping') {
      await this.table.whenReady(id);
      return session;
    }
    const deployment = session.deployment;
    const topology = this.machines.topology(session.labId);
    if (!deployment || !topology) throw new LabSessionError('busy', 'The lab has no machines to wake');
    if (!this.machines.hasRoom()) throw new LabSessionError('capacity', NO_ROOM);
    this.table.move(session, 'waking');
    const woken = this.boot(id, deployment, topology);
    const ready = woken.then((w) => w.deployment);
    // A failed wake is reported to the caller below; whoever waits for the lab meanwhile gets it too.
    ready.catch(() => undefined);
    this.table.setReady(id, ready);
    let outcome: Awaited<typeof woken>;
    try {
      outcome = await woken;
    } catch (error) {
      // Still asleep, files intact: the learner can try again, or an instructor remove it.
      // Refused when the session ended meanwhile.
      this.table.move(session, 'wake-failed');
      this.table.setReady(id, Promise.resolve(deployment));
      if (error instanceof PoolExhaustedError) throw new LabSessionError('capacity', NO_ROOM);
      throw error;
    }
    session.deployment = outcome.deployment;
    // Refused when the session ended while its machines were booting.
    if (!this.table.move(session, 'woken')) return session;
    session.lastWake = {
      addressesChanged: addressesOf(deployment) !== addressesOf(outcome.deployment),
      freshMachines: outcome.fresh,
    };
    markAwake(session, this.machines.maxAgeMs);
    this.table.startIdleClock(session);
    this.table.emit({ type: 'woken', session });
    return session;
  }

  /** The runtime's wake; fresh machines (same lab, progress kept) when one of the old ones is gone. */
  private async boot(
    id: string,
    deployment: LabDeployment,
    topology: Topology,
  ): Promise<{ deployment: LabDeployment; fresh: boolean }> {
    await this.settled(id);
    try {
      return {
        deployment: await this.machines.startInTurn(() => this.machines.runtime.wake(deployment, topology)),
        fresh: false,
      };
    } catch (error) {
      if (!(error instanceof MachineGone)) throw error;
      this.table.log(`lab ${id} cannot wake (${error.message}): it gets fresh machines`);
      return {
        deployment: await this.machines.startInTurn(() => this.machines.runtime.reset(deployment, topology)),
        fresh: true,
      };
    }
  }

  private logError(what: string, error: unknown): void {
    this.table.log(`${what} failed: ${errorMessage(error)}`);
  }
}

function addressesOf(deployment: LabDeployment): string {
  return JSON.stringify(deployment.machines.map((m) => [m.id, m.addresses]));
}
