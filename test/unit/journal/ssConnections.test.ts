import { describe, expect, it } from 'vitest';
import { parseSs, parseSsLine } from '../../../server/journal/ssConnections';

/** Lines as the host's `ss -tinHO` prints them (iproute2 6.1). */
const SSH_SESSION =
  'ESTAB 0      0      10.1.3.1:22  10.1.3.2:40012 cubic wscale:7,7 rto:204 rtt:0.08/0.04 ato:40 mss:1448 cwnd:10 bytes_sent:4120 bytes_acked:4121 bytes_received:3011 segs_out:40 segs_in:52 data_segs_out:30 data_segs_in:28 send 1.4Gbps lastsnd:1200 lastrcv:1180 lastack:1180 rcv_space:14480 minrtt:0.03 snd_wnd:64256';
const NEVER_RECEIVED =
  'ESTAB 0      0      [::ffff:172.16.3.1]:51000 [::ffff:172.16.3.10]:4445 cubic wscale:7,7 rto:204 mss:1448 cwnd:10 bytes_sent:11 bytes_acked:12 segs_out:3 segs_in:2 data_segs_out:1 lastsnd:1520 lastrcv:1528 lastack:1520';

describe("a machine's connections from the host's ss", () => {
  it('reads both ends and the kernel counters of a connection', () => {
    expect(parseSsLine(SSH_SESSION)).toEqual({
      local: '10.1.3.1',
      localPort: 22,
      peer: '10.1.3.2',
      peerPort: 40012,
      state: 'ESTAB',
      bytesReceived: 3011,
      bytesAcked: 4121,
      lastReceivedMs: 1180,
    });
  });

  it('reads IPv4-mapped and IPv6 ends, and a counter ss leaves out as 0', () => {
    expect(parseSsLine(NEVER_RECEIVED)).toMatchObject({
      local: '172.16.3.1',
      peer: '172.16.3.10',
      peerPort: 4445,
      bytesReceived: 0,
      lastReceivedMs: 1528,
    });
    expect(parseSsLine('CLOSE-WAIT 1 0 [fe80::1%eth0]:22 [fe80::2%eth0]:40000 cubic lastrcv:5')).toMatchObject({
      local: 'fe80::1',
      peer: 'fe80::2',
      state: 'CLOSE-WAIT',
    });
  });

  it('leaves out connections that are over or not open yet, and lines that are not sockets', () => {
    expect(parseSsLine('TIME-WAIT 0 0 10.1.3.1:22 10.1.3.2:40000')).toBeUndefined();
    expect(parseSsLine('SYN-RECV 0 0 10.1.3.1:22 10.1.3.2:40000')).toBeUndefined();
    expect(parseSsLine('')).toBeUndefined();
    expect(parseSsLine('garbage')).toBeUndefined();
  });

  it('keeps at most the cap per read and says how many more there were', () => {
    const text = Array.from({ length: 5 }, () => SSH_SESSION).join('\n') + '\nTIME-WAIT 0 0 10.1.3.1:22 10.1.3.2:1\n';
    expect(parseSs(text, 3)).toMatchObject({ more: 2 });
    expect(parseSs(text, 3).connections).toHaveLength(3);
    expect(parseSs(text, 10)).toMatchObject({ more: 0 });
  });
});
