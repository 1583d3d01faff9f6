import { LabSessions, type LabSessionsOptions } from '../../server/sessions/LabSessions';
import type { SessionEventSnapshot } from '../../server/sessions/labSessionTypes';
import type { MemoryLabRuntime } from './MemoryLabRuntime';
import { threeNetworkCatalog } from './threeNetworkLab';
import { silentLog } from '../../server/log/Log';

/**
 * LabSessions over an in-memory runtime offering the three-network lab, with clocks short enough
 * for fake timers, no warm pool and every event recorded; `options` replace any of those.
 */
export function memoryLabSessions(
  runtime: MemoryLabRuntime,
  options: Partial<LabSessionsOptions> = {},
): { sessions: LabSessions; events: SessionEventSnapshot[] } {
  const events: SessionEventSnapshot[] = [];
  const sessions = new LabSessions({
    runtime,
    catalog: threeNetworkCatalog,
    idleMs: 60_000,
    idleWarningMs: 10_000,
    sleepMs: 120_000,
    warmPoolSize: 0,
    maxLabs: 10,
    log: silentLog,
    ...options,
  });
  sessions.on((event) => events.push(event));
  return { sessions, events };
}
