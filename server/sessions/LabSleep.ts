import { errorMessage } from '../log/errorMessage';
import type { Topology } from '../../labkit/topology';
import { MachineGone, type LabDeployment, type SleepCapability } from '../runtime/LabRuntime';
import { PoolExhaustedError } from '../runtime/PoolExhaustedError';
import { markAsleep, markAwake } from './awakeClock';
import { LabSessionError } from './LabSessionError';
import type { LabSession, SleepReason } from './labSessionTypes';
import type { SessionHost } from './sessionHost';

const NO_ROOM = 'This server is running as many labs as it can; your files are kept. Try again in a few minutes';
const NO_SLEEP = "This server's lab platform cannot put labs to sleep: end the lab when you are done with it";

/**
 * Labs that sleep and wake. Asleep, a lab's machines are stopped with their disks kept, and it
 * holds no address slot and no place in the running-lab limit. Waking takes its old addresses
 * when they are free, others when not (the page shows them), and gives fresh machines, progress
 * kept, when one of the old ones is gone.
 */
export class LabSleep {
  /** Machines stopping, by session: a wake or reset waits for its lab to be fully asleep first. */
  private readonly stopping = new Map<string, Promise<void>>();

  constructor(private readonly host: SessionHost) {}

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
    const session = this.host.session(id);
    if (!session) throw new LabSessionError('not-found', 'No such lab session');
    const platform = this.platform();
    if (session.status === 'sleeping') return session;
    // A broken lab's machines are (partly) stopped already: asleep, a Resume starts them all.
    if ((session.status !== 'ready' && session.status !== 'broken') || !session.deployment)
      throw new LabSessionError('busy', `The lab is ${session.status}; try again in a moment`);
    const deployment = session.deployment;
    session.status = 'sleeping';
    delete session.problem;
    delete session.lastWake;
    markAsleep(session);
    this.host.emit({ type: 'sleeping', session, reason });
    const stopped = platform.sleep(deployment).catch((error: unknown) => this.logError(`sleep ${id}`, error));
    this.stopping.set(id, stopped);
    await stopped;
    if (this.stopping.get(id) === stopped) this.stopping.delete(id);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the status can change during the await
    if (session.status === 'sleeping') this.host.emit({ type: 'slept', session, reason });
    return session;
  }

  /** Boots a sleeping lab's machines again; refused while the server runs as many labs as it can. */
  async wake(id: string): Promise<LabSession> {
    const session = this.host.session(id);
    if (!session) throw new LabSessionError('not-found', 'No such lab session');
    if (session.status !== 'sleeping') {
      await this.host.whenReady(id);
      return session;
    }
    const deployment = session.deployment;
    const topology = this.host.topology(session.labId);
    if (!deployment || !topology) throw new LabSessionError('busy', 'The lab has no machines to wake');
    this.platform();
    if (!this.host.hasRoom()) throw new LabSessionError('capacity', NO_ROOM);
    session.status = 'waking';
    const woken = this.boot(id, deployment, topology);
    const ready = woken.then((w) => w.deployment);
    // A failed wake is reported to the caller below; whoever waits for the lab meanwhile gets it too.
    ready.catch(() => undefined);
    this.host.setReady(id, ready);
    let outcome: Awaited<typeof woken>;
    try {
      outcome = await woken;
    } catch (error) {
      // Still asleep, files intact: the learner can try again, or an instructor remove it.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the status can change during the await
      if (session.status === 'waking') session.status = 'sleeping';
      this.host.setReady(id, Promise.resolve(deployment));
      if (error instanceof PoolExhaustedError) throw new LabSessionError('capacity', NO_ROOM);
      throw error;
    }
    session.deployment = outcome.deployment;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the status can change during the await
    if (session.status !== 'waking') return session;
    session.status = 'ready';
    session.lastWake = {
      addressesChanged: addressesOf(deployment) !== addressesOf(outcome.deployment),
      freshMachines: outcome.fresh,
    };
    markAwake(session, this.host.maxAgeMs);
    this.host.touch(id);
    this.host.emit({ type: 'woken', session });
    return session;
  }

  /** The runtime's wake; fresh machines (same lab, progress kept) when one of the old ones is gone. */
  private async boot(
    id: string,
    deployment: LabDeployment,
    topology: Topology,
  ): Promise<{ deployment: LabDeployment; fresh: boolean }> {
    await this.settled(id);
    const platform = this.platform();
    try {
      return {
        deployment: await this.host.startInTurn(() => platform.wake(deployment, topology)),
        fresh: false,
      };
    } catch (error) {
      if (!(error instanceof MachineGone)) throw error;
      this.host.log(`lab ${id} cannot wake (${error.message}): it gets fresh machines`);
      return {
        deployment: await this.host.startInTurn(() => this.host.runtime.reset(deployment, topology)),
        fresh: true,
      };
    }
  }

  /** The runtime's sleep and wake; refused clearly where the lab platform has none. */
  private platform(): SleepCapability {
    const sleep = this.host.runtime.capabilities.sleep;
    if (!sleep) throw new LabSessionError('unsupported', NO_SLEEP);
    return sleep;
  }

  private logError(what: string, error: unknown): void {
    this.host.log(`${what} failed: ${errorMessage(error)}`);
  }
}

function addressesOf(deployment: LabDeployment): string {
  return JSON.stringify(deployment.machines.map((m) => [m.id, m.addresses]));
}
