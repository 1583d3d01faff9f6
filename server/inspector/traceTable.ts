/**
 * The nft table that marks packets for tracing. It lives in its own table (so iptables-save,
 * iptables -L and the filter counters never see it), hooks prerouting before anything else,
 * and only marks packets to addresses in a set whose elements expire: even if the server died
 * mid-trace, the kernel would stop tracing by itself.
 */
import { TRACE_TABLE } from './traceParser';
import { TRACE_MAX_SECONDS, type Protocol } from '../../protocol/inspector';

export interface TraceMatch {
  /** The traced machine's own addresses: only packets to them are traced. */
  to: string[];
  from?: string;
  protocol?: Protocol;
  port?: number;
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;

function assertAddress(a: string): string {
  if (!IPV4.test(a) || a.split('.').some((o) => Number(o) > 255)) throw new Error(`not an IPv4 address: ${a}`);
  return a;
}

/** Removes any table left from an earlier trace, atomically, whether or not one exists. */
export const REMOVE_TRACE_TABLE = `table ip ${TRACE_TABLE} {}\ndelete table ip ${TRACE_TABLE}\n`;

export function traceTableScript(match: TraceMatch, seconds = TRACE_MAX_SECONDS): string {
  const to = match.to.map(assertAddress);
  if (to.length === 0) throw new Error('no address to trace');
  const from = match.from === undefined ? '' : ` ip saddr ${assertAddress(match.from)}`;
  const port = match.port === undefined ? '' : ` th dport ${Math.trunc(match.port)}`;
  // One rule per protocol, so the trace names the protocol (the PACKET line does not for ICMP).
  const protocols: Protocol[] = match.protocol ? [match.protocol] : ['icmp', 'tcp', 'udp'];
  const rules = protocols.map(
    (p) => `    ip daddr @until${from} ip protocol ${p}${p === 'icmp' ? '' : port} meta nftrace set 1`,
  );
  if (!match.protocol && match.port === undefined) rules.push(`    ip daddr @until${from} meta nftrace set 1`);
  return `${REMOVE_TRACE_TABLE}table ip ${TRACE_TABLE} {
  set until {
    type ipv4_addr
    timeout ${Math.max(1, Math.trunc(seconds))}s
    elements = { ${to.join(', ')} }
  }
  chain pre {
    type filter hook prerouting priority -350; policy accept;
${rules.join('\n')}
  }
}
`;
}
