import { describe, expect, it } from 'vitest';
import { parseRulesFile } from '../../../labkit/rules';
import { judgePings } from '../../../labs/iptables-single-server/pingAccess';
import { LIVE } from '../../../labs/iptables-single-server/ruleWhere';
import { judgeWebAccess } from '../../../labs/iptables-single-server/webAccess';

/** Slot 3's addresses, as a lab would have them. */
const a = { m2: '10.1.3.2', pc: '172.16.3.10', lan: '10.1.3.0/24', office: '172.16.3.0/24' };

/** The chapter's file, with the port 80 and ICMP rules replaced by `web` and `icmp`. */
function rules(web: string[], icmp: string[] = ['-A RH-Firewall-1-INPUT -p icmp --icmp-type any -j ACCEPT']) {
  return parseRulesFile(
    [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':FORWARD ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':RH-Firewall-1-INPUT - [0:0]',
      ':WEB - [0:0]',
      '-A INPUT -j RH-Firewall-1-INPUT',
      '-A FORWARD -j RH-Firewall-1-INPUT',
      '-A RH-Firewall-1-INPUT -i lo -j ACCEPT',
      ...icmp,
      '-A RH-Firewall-1-INPUT -p 50 -j ACCEPT',
      '-A RH-Firewall-1-INPUT -p 51 -j ACCEPT',
      '-A RH-Firewall-1-INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
      ...web,
      '-A RH-Firewall-1-INPUT -m state --state NEW -m tcp -p tcp --dport 22 -j ACCEPT',
      '-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited',
      'COMMIT',
      '',
    ].join('\n'),
  );
}
const web = (...lines: string[]) => judgeWebAccess(rules(lines), a, LIVE);
const R = '-A RH-Firewall-1-INPUT';

describe('port 80 for the remote office only, judged over every source address', () => {
  it.each([
    ['the chapter’s rule', [`${R} -m state --state NEW -m tcp -p tcp -s 172.16.3.0/24 --dport 80 -j ACCEPT`]],
    [
      'a dotted mask and conntrack',
      [`${R} -s 172.16.3.0/255.255.255.0 -p tcp -m conntrack --ctstate NEW --dport 80 -j ACCEPT`],
    ],
    ['the office interface and source', [`${R} -i eth1 -s 172.16.3.0/24 -p tcp --dport 80 -j ACCEPT`]],
    ['only the office interface', [`${R} -i eth1 -p tcp --dport 80 -j ACCEPT`]],
    ['an address range', [`${R} -p tcp --dport 80 -m iprange --src-range 172.16.3.0-172.16.3.255 -j ACCEPT`]],
    [
      'a LAN REJECT before an open rule',
      [`${R} -s 10.1.3.0/24 -p tcp --dport 80 -j REJECT`, `${R} -s 172.16.3.0/24 -p tcp --dport 80 -j ACCEPT`],
    ],
    ['its own chain', [`${R} -p tcp --dport 80 -j WEB`, '-A WEB -s 172.16.3.0/24 -j ACCEPT']],
    ['multiport with ssh', [`${R} -p tcp -s 172.16.3.0/24 -m multiport --dports 80,22 -j ACCEPT`]],
  ])('accepts %s', (_name, lines) => {
    expect(web(...lines)).toEqual({ assumptions: [] });
  });

  it('fails the unrestricted rule: Machine 2 still gets in', () => {
    expect(web(`${R} -p tcp --dport 80 -j ACCEPT`).problem?.message).toMatch(
      /^Machine 2 \(10\.1\.3\.2\) can still open port 80/,
    );
  });

  it('fails a /16: the rest of 172.16.0.0/16 gets in', () => {
    const p = web(`${R} -s 172.16.0.0/16 -p tcp --dport 80 -j ACCEPT`).problem;
    expect(p?.code).toBe('extra-80');
    expect(p?.message).toMatch(
      /`-s 172\.16\.0\.0\/16 -p tcp --dport 80 -j ACCEPT`, rule 6 of RH-Firewall-1-INPUT .* also lets the rest of 172\.16\.0\.0\/16 \(e\.g\. 172\.16\.0\.10\) reach port 80, not only the remote office \(`172\.16\.3\.0\/24`\)/,
    );
  });

  it('fails everything but the LAN', () => {
    expect(web(`${R} ! -s 10.1.3.0/24 -p tcp --dport 80 -j ACCEPT`).problem?.message).toMatch(
      /also lets every address except 10\.1\.3\.0\/24 \(e\.g\. 203\.0\.113\.10\) reach port 80/,
    );
  });

  it('fails an extra exception, named with its own rule', () => {
    const p = web(
      `${R} -s 172.16.3.0/24 -p tcp --dport 80 -j ACCEPT`,
      `${R} -s 192.168.7.0/24 -p tcp --dport 80 -j ACCEPT`,
    ).problem;
    expect(p?.message).toMatch(
      /^`-s 192\.168\.7\.0\/24 -p tcp --dport 80 -j ACCEPT`, rule 7 .* also lets 192\.168\.7\.0\/24 \(e\.g\. 192\.168\.7\.10\) reach port 80/,
    );
    const host = web(
      `${R} -s 172.16.3.0/24 -p tcp --dport 80 -j ACCEPT`,
      `${R} -s 10.1.3.7 -p tcp --dport 80 -j ACCEPT`,
    ).problem;
    expect(host?.message).toMatch(/also lets 10\.1\.3\.7\/32 \(e\.g\. 10\.1\.3\.7\) reach port 80/);
  });

  it('fails a rule for office-pc alone: the rest of the office is shut out', () => {
    expect(web(`${R} -s 172.16.3.10 -p tcp --dport 80 -j ACCEPT`).problem?.message).toMatch(
      /^Only part of the remote office can open port 80: .*-j REJECT.* rejects 172\.16\.3\.0\/29, 172\.16\.3\.8\/31, 172\.16\.3\.11\/32 and 5 more/,
    );
  });

  it('fails a removed rule, an ssh rule gone, and another port opened', () => {
    expect(web().problem?.code).toBe('office-80');
    expect(
      web(`${R} -s 172.16.3.0/24 -p tcp --dport 80 -j ACCEPT`, `${R} -p tcp --dport 22 -s 10.1.3.0/24 -j REJECT`)
        .problem?.code,
    ).toBe('ssh');
    expect(
      web(`${R} -s 172.16.3.0/24 -p tcp --dport 80 -j ACCEPT`, `${R} -p tcp --dport 25 -j ACCEPT`).problem?.message,
    ).toMatch(/^Port\(s\) 25 should stay closed/);
  });

  it('reports a rule the model cannot evaluate as an assumption, for the probes to settle', () => {
    expect(web(`${R} -s 172.16.3.0/24 -p tcp --dport 80 -m limit --limit 5/s -j ACCEPT`).assumptions).not.toHaveLength(
      0,
    );
  });
});

const pings = (...icmp: string[]) =>
  judgePings(rules([`${R} -s 172.16.3.0/24 -p tcp --dport 80 -j ACCEPT`], icmp), a, LIVE);
const ACCEPT_ICMP = `${R} -p icmp --icmp-type any -j ACCEPT`;

describe('pings from the LAN only, judged over every source address', () => {
  it.each([
    ['the chapter’s rules', [`${R} -p icmp --icmp-type any ! -s 10.1.3.0/24 -j DROP`, ACCEPT_ICMP]],
    ['echo requests only', [`${R} -p icmp --icmp-type echo-request ! -s 10.1.3.0/24 -j DROP`, ACCEPT_ICMP]],
    ['an accept for the LAN, then a drop', [`${R} -p icmp -s 10.1.3.0/24 -j ACCEPT`, `${R} -p icmp -j DROP`]],
  ])('accepts %s', (_name, icmp) => {
    expect(pings(...icmp)).toEqual({ assumptions: [] });
  });

  it('fails a DROP for the office only: the rest of the world is still rejected or accepted', () => {
    expect(pings(`${R} -p icmp -s 172.16.3.0/24 -j DROP`, ACCEPT_ICMP).problem?.message).toMatch(
      /accepts pings from every address except 172\.16\.3\.0\/24 \(e\.g\. 203\.0\.113\.10\), outside the LAN/,
    );
    expect(pings(`${R} -p icmp -s 172.16.3.0/24 -j DROP`, `${R} -p icmp -s 10.1.3.0/24 -j ACCEPT`).problem?.code).toBe(
      'outsiders-rejected',
    );
  });

  it('fails a DROP that spares 10.1.0.0/16 and an extra exception', () => {
    expect(pings(`${R} -p icmp ! -s 10.1.0.0/16 -j DROP`, ACCEPT_ICMP).problem?.message).toMatch(
      /accepts pings from the rest of 10\.1\.0\.0\/16 \(e\.g\. 10\.1\.0\.10\), outside the LAN/,
    );
    expect(
      pings(`${R} -p icmp -s 198.51.100.7 -j ACCEPT`, `${R} -p icmp ! -s 10.1.3.0/24 -j DROP`, ACCEPT_ICMP).problem
        ?.code,
    ).toBe('outsiders-accepted');
  });

  it('fails a DROP on the office interface only: the LAN’s router passes the rest', () => {
    expect(pings(`${R} -i eth1 -p icmp -j DROP`, ACCEPT_ICMP).problem?.code).toBe('outsiders-accepted');
  });
});
