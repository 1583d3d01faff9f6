import { describe, expect, it } from 'vitest';
import { candidateNames } from '../../../labs/iptables-single-server/nmapFind';
import { parseNmap } from '../../../labs/iptables-single-server/nmapFile';
import { parsePortAnswer } from '../../../labs/iptables-single-server/portAnswer';

const PORTS = `PORT    STATE SERVICE
21/tcp  open  ftp
22/tcp  open  ssh
110/tcp open  pop3
995/tcp open  pop3s
`;
const STDOUT = `Starting Nmap 7.93 ( https://nmap.org ) at 2026-11-27 17:40 UTC
Nmap scan report for 10.1.1.1
Host is up (0.000050s latency).
Not shown: 996 closed tcp ports (reset)
${PORTS}MAC Address: 02:42:0A:01:01:01 (Unknown)

Nmap done: 1 IP address (1 host up) scanned in 0.21 seconds
`;
const NORMAL = `# Nmap 7.93 scan initiated Fri Nov 27 17:40:01 2026 as: nmap -oN first-scan.txt 10.1.1.1
Nmap scan report for machine1 (10.1.1.1)
Host is up (0.000050s latency).
Not shown: 990 filtered tcp ports (host-prohibited), 6 closed tcp ports (reset)
${PORTS}
# Nmap done at Fri Nov 27 17:40:01 2026 -- 1 IP address (1 host up) scanned in 0.21 seconds
`;
const GREPABLE = `# Nmap 7.93 scan initiated Fri Nov 27 17:40:01 2026 as: nmap -oG first-scan.gnmap 10.1.1.1
Host: 10.1.1.1 ()\tStatus: Up
Host: 10.1.1.1 ()\tPorts: 21/open/tcp//ftp///, 22/open/tcp//ssh///, 110/open/tcp//pop3///, 995/open/tcp//pop3s///\tIgnored State: closed (996)
# Nmap done at Fri Nov 27 17:40:01 2026 -- 1 IP address (1 host up) scanned in 0.21 seconds
`;
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<nmaprun scanner="nmap" args="nmap -oX s.xml 10.1.1.1" start="1795800001" version="7.93">
<host><status state="up" reason="arp-response"/>
<address addr="10.1.1.1" addrtype="ipv4"/>
<ports><extraports state="closed" count="996"></extraports>
<port protocol="tcp" portid="21"><state state="open" reason="syn-ack"/><service name="ftp"/></port>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/><service name="ssh"/></port>
<port protocol="tcp" portid="110"><state state="open" reason="syn-ack"/><service name="pop3"/></port>
<port protocol="tcp" portid="995"><state state="open" reason="syn-ack"/><service name="pop3s"/></port>
</ports></host>
<runstats><finished time="1795800001" exit="success"/><hosts up="1" down="0" total="1"/></runstats>
</nmaprun>
`;

describe('parseNmap reads every format nmap writes', () => {
  it.each([
    ['what nmap prints (saved with >)', STDOUT, 'normal', { closed: 996, filtered: 0 }],
    ['-oN normal output', NORMAL, 'normal', { closed: 6, filtered: 990 }],
    ['-oG grepable output', GREPABLE, 'grepable', { closed: 996, filtered: 0 }],
    ['-oX XML', XML, 'xml', { closed: 996, filtered: 0 }],
  ])('%s', (_name, text, format, notShown) => {
    expect(parseNmap('/root/x', text)).toMatchObject({
      format,
      complete: true,
      target: '10.1.1.1',
      open: [21, 22, 110, 995],
      notShown,
    });
  });

  it('calls a cut-off scan incomplete', () => {
    expect(parseNmap('/root/x', STDOUT.split('\n').slice(0, 6).join('\n')).complete).toBe(false);
    expect(parseNmap('/root/x', GREPABLE.split('\n').slice(0, 3).join('\n')).complete).toBe(false);
    expect(parseNmap('/root/x', 'hello').complete).toBe(false);
  });

  it('looks for the names -oA gives a file', () => {
    expect(candidateNames('first-scan.txt')).toEqual(
      expect.arrayContaining([
        'first-scan.txt',
        'first-scan.nmap',
        'first-scan.gnmap',
        'first-scan.xml',
        'first-scan.txt.nmap',
      ]),
    );
  });
});

describe('parsePortAnswer', () => {
  it('does not read the 3 of "pop3" as port 3, and accepts service names as their ports', () => {
    expect(parsePortAnswer('995/tcp (pop3s), 993/tcp (imaps), 110/tcp (pop3)').ports).toEqual([110, 993, 995]);
    expect(parsePortAnswer('pop3, https and ftp').ports).toEqual([21, 110, 443]);
  });

  it('reads plain lists in any separator', () => {
    expect(parsePortAnswer('21,25;53 79\n110').ports).toEqual([21, 25, 53, 79, 110]);
    expect(parsePortAnswer('ports 21 and 25 are closed').unknown).toEqual([]);
  });

  it('reports words it cannot read as ports', () => {
    expect(parsePortAnswer('21, pop4, 70000')).toEqual({ ports: [21], unknown: ['pop4', '70000'] });
  });
});
