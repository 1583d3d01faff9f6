import type { LabInstance, LabRuntime } from '../runtime/LabRuntime';
import type { LabSessionRow } from '../store/LabSessionsRepo';
import type { Store } from '../store/Store';

export interface RestorableSession {
  id: string;
  labId: string;
  ownerId: string;
  lab: LabInstance;
  createdAt: number;
  lastActivityAt: number;
}

/**
 * After a restart or crash: which stored, not-ended sessions still have all their machines
 * answering. Those are handed to `adopt`; the others are ended in the store ('lost').
 * Returns the runtime lab ids now in use, so everything else can be removed as orphans.
 */
export async function restoreSessions(
  store: Store,
  runtime: LabRuntime,
  adopt: (session: RestorableSession) => void,
  log: (message: string) => void,
): Promise<Set<string>> {
  const existing = new Set(await runtime.list());
  const keep = new Set<string>();
  const rows = store.labSessions.listLive();
  const verdicts = await Promise.all(
    rows.map(async (row) => ({ row, alive: await machinesAnswer(row, existing, runtime) })),
  );
  for (const { row, alive } of verdicts) {
    if (alive && row.instance) {
      keep.add(row.instance.labSessionId);
      adopt({
        id: row.id,
        labId: row.labId,
        ownerId: row.learnerId,
        lab: row.instance,
        createdAt: row.createdAt,
        lastActivityAt: row.lastActivity,
      });
    } else {
      store.transaction(() => {
        store.labSessions.end(row.id, Date.now(), 'lost');
        store.events.record(row.id, 'lost', { reason: row.instance ? 'machines gone' : 'never finished starting' });
      });
    }
  }
  if (rows.length > 0) log(`reattached ${keep.size} of ${rows.length} lab(s) from before the restart`);
  return keep;
}

async function machinesAnswer(
  row: LabSessionRow,
  existing: ReadonlySet<string>,
  runtime: LabRuntime,
): Promise<boolean> {
  const lab = row.instance;
  if (!lab || !existing.has(lab.labSessionId)) return false;
  const probes = lab.machines.map((m) =>
    runtime.exec(lab, m.id, ['true'], { timeoutMs: 5000 }).then(
      (r) => r.exitCode === 0,
      () => false,
    ),
  );
  return (await Promise.all(probes)).every(Boolean);
}
