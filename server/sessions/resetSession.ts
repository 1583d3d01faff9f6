import { markAwake } from './awakeClock';
import { allows } from './lifecycle';
import { LabSessionError } from './LabSessionError';
import type { LabSession, ResetBy } from './labSessionTypes';
import type { SessionMachines } from './SessionMachines';
import type { SessionTable } from './SessionTable';

/** Sessions with a reset under way, from the request on: a second reset is refused, not queued. */
const resetting = new WeakSet<LabSession>();

/** The session table and machines of `LabSessions` a reset works with. */
interface ResetParts {
  table: SessionTable;
  machines: SessionMachines;
}

interface ResetRequest {
  by: ResetBy;
  /** Resolves once a sleeping lab's machines have finished stopping. */
  asleep: Promise<void>;
}

/**
 * Fresh machines under the same session id, on the lab's own networks: the slot and the
 * addresses stay, so the learner's notes and the page stay true. A sleeping lab may be reset
 * too (its machines are replaced anyway) once there is room for it to run; `asleep` resolves
 * once its machines have finished stopping.
 */
export async function resetSession(parts: ResetParts, id: string, reset: ResetRequest): Promise<LabSession> {
  const session = parts.table.live(id);
  if (!session) throw new LabSessionError('not-found', 'No such lab session');
  if (resetting.has(session) || session.status === 'resetting')
    throw new LabSessionError('busy', 'The lab is already being reset; it is ready in a moment');
  resetting.add(session);
  try {
    return await replaceMachines(parts, session, reset);
  } finally {
    resetting.delete(session);
  }
}

async function replaceMachines(
  { table, machines }: ResetParts,
  session: LabSession,
  { by, asleep }: ResetRequest,
): Promise<LabSession> {
  const id = session.id;
  const previous = await table.whenReady(id);
  if (!allows(session.status, 'resetting')) return session;
  if (session.status === 'sleeping' && !machines.hasRoom()) {
    throw new LabSessionError('capacity', 'This server is running as many labs as it can; try again in a few minutes');
  }
  await asleep;
  const topology = machines.topology(session.labId);
  if (!topology) throw new LabSessionError('unknown-lab', `No lab called "${session.labId}"`);
  // The session may have ended (or woken) while its machines were stopping.
  if (!table.move(session, 'resetting')) return session;
  markAwake(session, machines.maxAgeMs);
  delete session.problem;
  delete session.lastWake;
  table.emit({ type: 'resetting', session, by });
  const next = machines.startInTurn(() => machines.runtime.reset(previous, topology));
  table.setReady(id, next);
  try {
    session.deployment = await next;
  } catch (error) {
    await table.end(id, 'failed');
    throw error;
  }
  // Refused when end() ran while the new machines were starting.
  if (!table.move(session, 'reset')) return session;
  table.startIdleClock(session);
  table.emit({ type: 'reset', session, by });
  return session;
}
