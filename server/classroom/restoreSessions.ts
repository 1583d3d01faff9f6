import { errorMessage } from '../log/errorMessage';
import type { LabRuntime } from '../runtime/LabRuntime';
import type { AdoptedSession } from '../sessions/LabSessions';
import type { LabSessionRow } from '../store/LabSessionsRepo';
import type { Store } from '../store/Store';
import type { Log } from '../log/Log';

export type RestorableSession = AdoptedSession;

/**
 * After a restart or crash: which stored, not-ended sessions still have their machines.
 * Awake ones whose machines all answer are adopted awake; sleeping ones, and awake ones whose
 * machines exist but do not answer (stopped by a host reboot, say), are adopted asleep, so the
 * learner's files wait for a Resume (and give up their address slot meanwhile). The others are
 * ended in the store ('lost').
 * Returns the runtime lab ids now in use, so everything else can be removed as orphans.
 */
export async function restoreSessions(
  store: Store,
  runtime: LabRuntime,
  adopt: (session: RestorableSession) => void,
  log: Log,
): Promise<Set<string>> {
  const existing = new Set(await runtime.list());
  const keep = new Set<string>();
  const rows = store.labSessions.listLive();
  const verdicts = await Promise.all(
    rows.map(async (row) => ({ row, state: await machinesState(row, existing, runtime) })),
  );
  if (!runtime.capabilities.sleep)
    for (const verdict of verdicts)
      if (verdict.state === 'asleep') verdict.state = await revived(verdict.row, runtime, log);
  for (const { row, state } of verdicts) {
    if (state !== 'gone' && row.deployment) {
      keep.add(row.deployment.deploymentId);
      const sleptAt = state === 'asleep' ? (row.sleptAt ?? Date.now()) : undefined;
      if (state === 'asleep' && row.status !== 'sleeping') {
        store.labSessions.setAsleep(row.id, sleptAt ?? Date.now(), row.awakeMs);
        // Stopped by a crash or reboot, or caught mid-wake: asleep properly, holding no slot.
        await runtime.capabilities.sleep
          ?.sleep(row.deployment)
          .catch((error: unknown) => log(`could not put lab ${row.id} to sleep: ${errorMessage(error)}`));
      }
      adopt({
        id: row.id,
        labId: row.labId,
        learnerId: row.learnerId,
        deployment: row.deployment,
        createdAt: row.createdAt,
        lastActivityAt: row.lastActivity,
        awakeMs: row.awakeMs,
        lastWokenAt: row.awakeSince ?? undefined,
        sleptAt,
      });
    } else {
      store.transaction(() => {
        store.labSessions.end(row.id, Date.now(), 'lost');
        store.events.record(row.id, 'lost', { reason: row.deployment ? 'machines gone' : 'never finished starting' });
      });
    }
  }
  if (rows.length > 0) log(`reattached ${keep.size} of ${rows.length} lab(s) from before the restart`);
  return keep;
}

/**
 * Where the lab platform cannot keep a lab asleep, its stopped machines start again instead:
 * awake once they run, lost when they cannot.
 */
async function revived(
  row: LabSessionRow,
  runtime: LabRuntime,
  log: (message: string) => void,
): Promise<'awake' | 'gone'> {
  if (!row.deployment) return 'gone';
  try {
    await runtime.revive(row.deployment);
  } catch (error) {
    log(
      `lab ${row.id} is stopped and this lab platform cannot keep it asleep; starting it failed: ${errorMessage(error)}`,
    );
    return 'gone';
  }
  return 'awake';
}

async function machinesState(
  row: LabSessionRow,
  existing: ReadonlySet<string>,
  runtime: LabRuntime,
): Promise<'awake' | 'asleep' | 'gone'> {
  const deployment = row.deployment;
  if (!deployment || !existing.has(deployment.deploymentId)) return 'gone';
  // A lab stopped mid-wake or mid-sleep is asleep: waking it again starts whatever is stopped.
  if (row.status === 'sleeping' || row.status === 'waking') return 'asleep';
  const probes = deployment.machines.map((m) =>
    runtime.exec(deployment, m.id, ['true'], { timeoutMs: 5000 }).then(
      (r) => r.exitCode === 0,
      () => false,
    ),
  );
  return (await Promise.all(probes)).every(Boolean) ? 'awake' : 'asleep';
}
