import { markAwake } from './awakeClock';
import { LabSessionError } from './LabSessionError';
import type { LabSession, ResetBy } from './labSessionTypes';
import type { SessionHost } from './sessionHost';

/** Sessions with a reset under way, from the request on: a second reset is refused, not queued. */
const resetting = new WeakSet<LabSession>();

/**
 * Fresh machines under the same session id, on the lab's own networks: the slot and the
 * addresses stay, so the learner's notes and the page stay true. A sleeping lab may be reset
 * too (its machines are replaced anyway) once there is room for it to run; `asleep` resolves
 * once its machines have finished stopping.
 */
export async function resetSession(
  host: SessionHost,
  id: string,
  by: ResetBy,
  asleep: Promise<void>,
): Promise<LabSession> {
  const session = host.session(id);
  if (!session) throw new LabSessionError('not-found', 'No such lab session');
  if (resetting.has(session) || session.status === 'resetting')
    throw new LabSessionError('busy', 'The lab is already being reset; it is ready in a moment');
  resetting.add(session);
  try {
    return await replaceMachines(host, session, by, asleep);
  } finally {
    resetting.delete(session);
  }
}

async function replaceMachines(
  host: SessionHost,
  session: LabSession,
  by: ResetBy,
  asleep: Promise<void>,
): Promise<LabSession> {
  const id = session.id;
  const previous = await host.whenReady(id);
  if (session.status !== 'ready' && session.status !== 'broken' && session.status !== 'sleeping') return session;
  if (session.status === 'sleeping' && !host.hasRoom()) {
    throw new LabSessionError('capacity', 'This server is running as many labs as it can; try again in a few minutes');
  }
  await asleep;
  const topology = host.topology(session.labId);
  if (!topology) throw new LabSessionError('unknown-lab', `No lab called "${session.labId}"`);
  markAwake(session, host.maxAgeMs);
  delete session.problem;
  delete session.lastWake;
  session.status = 'resetting';
  host.emit({ type: 'resetting', session, by });
  const next = host.startInTurn(() => host.runtime.reset(previous, topology));
  host.setReady(id, next);
  try {
    session.lab = await next;
  } catch (error) {
    await host.end(id, 'failed');
    throw error;
  }
  // end() may have run while the new machines were starting.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the status can change during the await
  if (session.status !== 'resetting') return session;
  session.status = 'ready';
  host.touch(id);
  host.emit({ type: 'reset', session, by });
  return session;
}
