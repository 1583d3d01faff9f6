/** Labels tie every container and network to its lab session and server namespace. */
export const LABEL = {
  namespace: 'iptables-lab.instance',
  session: 'iptables-lab.session',
  machine: 'iptables-lab.machine',
  network: 'iptables-lab.network',
  slot: 'iptables-lab.slot',
  /** On networks that belong to an address slot rather than to one lab. */
  slotNetwork: 'iptables-lab.slot-network',
} as const;

export function namespaceFilter(namespace: string, session?: string): { label: string[] } {
  const label = [`${LABEL.namespace}=${namespace}`];
  if (session !== undefined) label.push(`${LABEL.session}=${session}`);
  return { label };
}

/** Docker object names: short, predictable, and apart per namespace. */
export function resourceName(namespace: string, session: string, part: string): string {
  return `ipl-${namespace}-${session}-${part}`;
}

const SESSION_ID = /^[a-z0-9]{6,32}$/;

export function isSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

export function assertSessionId(id: string): void {
  if (!isSessionId(id)) throw new Error(`invalid lab session id: ${JSON.stringify(id)}`);
}
