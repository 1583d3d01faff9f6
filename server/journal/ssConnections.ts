/**
 * Reads `ss -tinHO` (the host's iproute2, one line per TCP socket, kernel tcp_info) into the
 * journal's connections. Pure: text in, connections out. Listening sockets are not in its output;
 * TIME-WAIT and half-open ones (SYN-SENT, SYN-RECV) are dropped here: they carry no data.
 */
import type { JournalConnection } from '../../labkit/journal';

/** The command the host runs in a machine's network namespace. */
export const SS_COMMAND = ['ss', '-tinHO'];

const NO_DATA = new Set(['TIME-WAIT', 'SYN-SENT', 'SYN-RECV', 'CLOSE', 'UNCONN']);

/** `10.1.3.1:22`, `[::ffff:10.1.3.1]:22`, `[fe80::1%eth0]:22` → address and port. */
function endpoint(text: string): { address: string; port: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return undefined;
  const port = Number(text.slice(colon + 1));
  if (!Number.isInteger(port)) return undefined;
  const address = text
    .slice(0, colon)
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '')
    .replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  return address === '' ? undefined : { address, port };
}

const counter = (line: string, name: string): number | undefined => {
  const m = new RegExp(`(?:^|\\s)${name}:(\\d+)`).exec(line);
  return m?.[1] === undefined ? undefined : Number(m[1]);
};

/** One socket's line, or undefined when it carries no data or is not a socket line at all. */
export function parseSsLine(line: string): JournalConnection | undefined {
  const [state, , , local, peer] = line.trim().split(/\s+/);
  if (!state || NO_DATA.has(state) || !local || !peer) return undefined;
  const l = endpoint(local);
  const p = endpoint(peer);
  if (!l || !p) return undefined;
  return {
    local: l.address,
    localPort: l.port,
    peer: p.address,
    peerPort: p.port,
    state,
    // ss leaves out a counter that is still 0.
    bytesReceived: counter(line, 'bytes_received') ?? 0,
    bytesAcked: counter(line, 'bytes_acked') ?? 0,
    lastReceivedMs: counter(line, 'lastrcv'),
  };
}

/** The connections of one read: at most `cap`, and how many more there were. */
export function parseSs(text: string, cap: number): { connections: JournalConnection[]; more: number } {
  const all = text.split('\n').flatMap((line) => parseSsLine(line) ?? []);
  return { connections: all.slice(0, cap), more: Math.max(0, all.length - cap) };
}
