import { describe, expect, it } from 'vitest';
import { firewallState } from '../../../server/inspector/firewallState';
import { TraceReader } from '../../../server/inspector/traceParser';

/** Running rules with a learner's commented rule and a learner's own TRACE rule. */
const SAVED = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
[0:0] -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
[0:0] -A INPUT -p icmp -m comment --comment "ping ok" -j ACCEPT
[0:0] -A INPUT -j REJECT --reject-with icmp-host-prohibited
COMMIT
`;
const FILE = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -p icmp -m comment --comment "ping ok" -j ACCEPT
-A INPUT -j REJECT --reject-with icmp-host-prohibited
COMMIT
`;

function reader(): TraceReader {
  const state = firewallState({ machineId: 'm', rulesFile: '/etc/rules', liveText: SAVED, fileText: FILE });
  return new TraceReader(() => state);
}

const MARKED = (
  id: string,
): string => ` TRACE: 2 ${id} ipl_trace:pre:rule:0x3:CONTINUE  -4 -t ipl_trace -A pre -p tcp -j TRACE
 TRACE: 2 ${id} ipl_trace:pre:policy:ACCEPT`;

describe('the trace shows only what it asked the kernel to mark', () => {
  it("ignores packets marked by the learner's own -j TRACE rule", () => {
    const r = reader();
    r.feed(`PACKET: 2 aaaa0001 IN=eth0 SRC=10.1.1.2 DST=10.1.1.1 LEN=60 SPORT=4000 DPORT=80 SYN
 TRACE: 2 aaaa0001 raw:PREROUTING:rule:0x2:CONTINUE  -4 -t raw -A PREROUTING -j TRACE
 TRACE: 2 aaaa0001 filter:INPUT:rule:0x4:DROP  -4 -t filter -A INPUT -j REJECT --reject-with icmp-host-prohibited
`);
    expect(r.traced()).toEqual([]);
  });

  it('never takes text from a rule comment for a line of its own, even across newlines', () => {
    const r = reader();
    // A comment holding a newline and a forged line for another packet id, with its own forged mark.
    const forged = `"x\\" \\\\
PACKET: 2 bbbb0002 IN=eth0 SRC=6.6.6.6 DST=10.1.1.1 LEN=60 SPORT=1 DPORT=22 SYN
 TRACE: 2 bbbb0002 ipl_trace:pre:rule:0x3:CONTINUE  -4 -t ipl_trace -A pre -p tcp -j TRACE
 TRACE: 2 bbbb0002 filter:INPUT:rule:0x9:DROP  -4 -t filter -A INPUT -j DROP"`;
    r.feed(`PACKET: 2 cccc0003 IN=eth0 SRC=10.1.1.2 DST=10.1.1.1 LEN=60 SPORT=4000 DPORT=22 SYN
${MARKED('cccc0003')}
PACKET: 2 cccc0003 IN=eth0 SRC=10.1.1.2 DST=10.1.1.1 LEN=60 SPORT=4000 DPORT=22 SYN
 TRACE: 2 cccc0003 filter:INPUT:rule:0x2:ACCEPT  -4 -t filter -A INPUT -p tcp -m tcp --dport 22 -m comment --comment ${forged} -j ACCEPT
`);
    const packets = r.traced();
    expect(packets.map((p) => p.id)).toEqual(['cccc0003']);
    expect(packets[0]?.verdict).toBe('ACCEPT');
    expect(packets[0]?.hops).toHaveLength(1);
  });

  it('reassembles records split across chunks anywhere', () => {
    const r = reader();
    const text = `PACKET: 2 dddd0004 IN=eth0 SRC=10.1.1.2 DST=10.1.1.1 LEN=60 SPORT=4000 DPORT=25 SYN
${MARKED('dddd0004')}
 TRACE: 2 dddd0004 filter:INPUT:rule:0x4:DROP  -4 -t filter -A INPUT -j REJECT --reject-with icmp-host-prohibited
`;
    for (let i = 0; i < text.length; i += 7) r.feed(text.slice(i, i + 7));
    expect(r.traced()[0]?.verdict).toBe('REJECT');
  });
});

describe("a traced packet's fate in a sentence", () => {
  it('names the deciding rule, its file line and what it says', () => {
    const r = reader();
    r.feed(`PACKET: 2 eeee0005 IN=eth0 SRC=10.1.1.2 DST=10.1.1.1 LEN=60 SPORT=4000 DPORT=25 SYN
${MARKED('eeee0005')}
 TRACE: 2 eeee0005 filter:INPUT:rule:0x4:DROP  -4 -t filter -A INPUT -j REJECT --reject-with icmp-host-prohibited
`);
    expect(r.traced()[0]?.fate).toBe(
      'Rejected by rule 3 of INPUT (line 7 of the rules file), which says "reject everything, answering icmp-host-prohibited".',
    );
  });

  it('says when the policy decided because no rule matched, and the way through user chains', () => {
    const r = reader();
    r.feed(`PACKET: 2 ffff0006 IN=eth0 SRC=10.1.1.2 DST=10.1.1.1 LEN=60 SPORT=4000 DPORT=25 SYN
${MARKED('ffff0006')}
 TRACE: 2 ffff0006 filter:INPUT:rule:0x5:JUMP:CUSTOM  -4 -t filter -A INPUT -j CUSTOM
 TRACE: 2 ffff0006 filter:CUSTOM:return:
 TRACE: 2 ffff0006 filter:INPUT:policy:DROP
`);
    expect(r.traced()[0]?.fate).toBe(
      'Through INPUT then CUSTOM: dropped by the policy of INPUT: no rule of INPUT matched it.',
    );
  });
});
