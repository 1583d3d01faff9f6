import type { LabModule } from '../../labkit/types';
import type { LabSession } from '../sessions/labSessionTypes';
import { terminalPath } from '../../protocol/terminal';
import { sessionEventsPath } from '../../protocol/sessionEvents';
import type { SessionView } from '../../protocol/sessionView';
import type { SessionsConfig } from '../config';

/** What the page's countdowns need of the sessions' settings: warning lead times and how long a lab sleeps. */
export type SessionViewTiming = Pick<SessionsConfig, 'idleWarningMs' | 'sleepMs' | 'maxAgeWarningMs'>;

export function sessionView(
  session: LabSession,
  definition: LabModule | undefined,
  timing: SessionViewTiming,
): SessionView {
  const self = `/api/sessions/${session.id}`;
  const deployment = session.deployment;
  return {
    id: session.id,
    labId: session.labId,
    title: definition?.title ?? session.labId,
    status: session.status,
    ...(session.problem ? { problem: session.problem } : {}),
    lastWake: session.lastWake ?? null,
    createdAt: new Date(session.createdAt).toISOString(),
    lastActivityAt: new Date(session.lastActivityAt).toISOString(),
    idleExpiresAt: new Date(session.idleExpiresAt).toISOString(),
    idleWarningSeconds: Math.round(timing.idleWarningMs / 1000),
    sleptAt: session.sleptAt === undefined ? null : new Date(session.sleptAt).toISOString(),
    sleepExpiresAt: session.sleptAt === undefined ? null : new Date(session.sleptAt + timing.sleepMs).toISOString(),
    // Only awake time counts towards the maximum age: while asleep this moves with the clock.
    expiresAt: new Date(Math.min(session.expiresAt, 8.64e15)).toISOString(),
    expiryWarningSeconds: Math.round(timing.maxAgeWarningMs / 1000),
    networks: deployment?.networks.map((n) => ({ id: n.id, label: n.label, subnet: n.subnet })) ?? [],
    machines:
      deployment?.machines.map((m) => ({
        id: m.id,
        label: m.label,
        hostname: m.hostname,
        addresses: m.addresses,
        terminalUrl: terminalPath(session.id, m.id),
      })) ?? [],
    firewalls: (definition?.firewalls ?? []).map((f) => ({
      ...f,
      label: deployment?.machines.find((m) => m.id === f.machineId)?.label ?? f.machineId,
    })),
    links: {
      self,
      reset: `${self}/reset`,
      keepalive: `${self}/keepalive`,
      sleep: `${self}/sleep`,
      wake: `${self}/wake`,
      end: self,
      lab: `/api/labs/${session.labId}`,
      page: `/lab?session=${session.id}`,
      events: sessionEventsPath(session.id),
    },
  };
}
