import { describe, expect, it } from 'vitest';
import { acceptsIcmpFrom, acceptsTcpFrom, evaluatePacket, parseRulesFile } from '../../../labkit/rules';
import { fixture } from './load-fixture';

const chapterText = fixture('chapter-default.iptables');
const chapter = parseRulesFile(chapterText);
const withoutPing = parseRulesFile(
  chapterText.replace('-A RH-Firewall-1-INPUT -p icmp', '#-A RH-Firewall-1-INPUT -p icmp'),
);

describe('evaluatePacket on the chapter firewall', () => {
  it('accepts NEW http from anywhere via the jump to RH-Firewall-1-INPUT', () => {
    const r = evaluatePacket(chapter, { protocol: 'tcp', src: '10.1.1.2', dport: 80, inInterface: 'eth0' });
    expect(r).toMatchObject({ verdict: 'ACCEPT', chain: 'RH-Firewall-1-INPUT', index: 5, byPolicy: false });
    expect(r.rule?.line).toBe(15);
    expect(r.trace.map((t) => [t.chain, t.effect])).toEqual([
      ['INPUT', 'jump'],
      ['RH-Firewall-1-INPUT', 'verdict'],
    ]);
  });

  it('rejects other ports with icmp-host-prohibited', () => {
    const r = evaluatePacket(chapter, { protocol: 'tcp', src: '10.1.1.2', dport: 25, inInterface: 'eth0' });
    expect(r).toMatchObject({ verdict: 'REJECT', rejectWith: 'icmp-host-prohibited', index: 7 });
  });

  it('accepts replies of established connections on any port', () => {
    expect(
      evaluatePacket(chapter, { protocol: 'tcp', src: '8.8.8.8', dport: 40000, state: 'ESTABLISHED' }).verdict,
    ).toBe('ACCEPT');
  });

  it('accepts everything on loopback and IPsec protocols by number or name', () => {
    expect(evaluatePacket(chapter, { protocol: 'udp', src: '127.0.0.1', dport: 53, inInterface: 'lo' }).verdict).toBe(
      'ACCEPT',
    );
    expect(evaluatePacket(chapter, { protocol: 50, src: '1.2.3.4' }).verdict).toBe('ACCEPT');
    expect(evaluatePacket(chapter, { protocol: 'ah', src: '1.2.3.4' }).verdict).toBe('ACCEPT');
  });

  it('answers pings, until the ICMP rule is commented out (then the final REJECT catches them)', () => {
    expect(acceptsIcmpFrom(chapter, '10.1.1.2')).toBe(true);
    expect(acceptsIcmpFrom(withoutPing, '10.1.1.2')).toBe(false);
    expect(evaluatePacket(withoutPing, { protocol: 'icmp', src: '10.1.1.2' }).verdict).toBe('REJECT');
  });

  it('evaluates source networks and negation', () => {
    const m = parseRulesFile(
      [
        '*filter',
        ':INPUT ACCEPT [0:0]',
        '-A INPUT -p icmp --icmp-type any ! -s 10.1.1.0/24 -j DROP',
        '-A INPUT -s 172.16.1.0/24 -p tcp -m state --state NEW --dport 80 -j ACCEPT',
        '-A INPUT -p tcp --dport 80 -j REJECT',
        'COMMIT',
      ].join('\n'),
    );
    expect(acceptsIcmpFrom(m, '10.1.1.7')).toBe(true);
    expect(evaluatePacket(m, { protocol: 'icmp', src: '192.168.0.9' }).verdict).toBe('DROP');
    expect(acceptsTcpFrom(m, '172.16.1.44', 80)).toBe(true);
    expect(acceptsTcpFrom(m, '172.16.2.44', 'http')).toBe(false);
  });

  it('applies the chain policy when no rule decides', () => {
    const m = parseRulesFile('*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT');
    expect(evaluatePacket(m, { protocol: 'udp', src: '1.1.1.1', dport: 53 })).toMatchObject({
      verdict: 'DROP',
      byPolicy: true,
    });
  });

  it('returns from user chains with RETURN and continues in the caller', () => {
    const m = parseRulesFile(
      [
        '*filter',
        ':INPUT ACCEPT [0:0]',
        ':CHK - [0:0]',
        '-A INPUT -j CHK',
        '-A INPUT -j DROP',
        '-A CHK -s 10.0.0.0/8 -j RETURN',
        '-A CHK -j ACCEPT',
        'COMMIT',
      ].join('\n'),
    );
    expect(evaluatePacket(m, { protocol: 'tcp', src: '10.2.3.4', dport: 1 }).verdict).toBe('DROP');
    expect(evaluatePacket(m, { protocol: 'tcp', src: '11.2.3.4', dport: 1 }).verdict).toBe('ACCEPT');
  });

  it('matches icmp types, port ranges, multiport lists and interface wildcards', () => {
    const m = parseRulesFile(
      [
        '*filter',
        ':INPUT DROP [0:0]',
        '-A INPUT -p icmp --icmp-type echo-request -j ACCEPT',
        '-A INPUT -p tcp -m multiport --dports 22,1000:2000 -j ACCEPT',
        '-A INPUT -i eth+ -p udp ! --dport 1:1024 -j ACCEPT',
        'COMMIT',
      ].join('\n'),
    );
    expect(evaluatePacket(m, { protocol: 'icmp', src: '1.1.1.1', icmpType: 'echo-request' }).verdict).toBe('ACCEPT');
    expect(evaluatePacket(m, { protocol: 'icmp', src: '1.1.1.1', icmpType: 0 }).verdict).toBe('DROP');
    expect(evaluatePacket(m, { protocol: 'tcp', src: '1.1.1.1', dport: 1500 }).verdict).toBe('ACCEPT');
    expect(evaluatePacket(m, { protocol: 'tcp', src: '1.1.1.1', dport: 2001 }).verdict).toBe('DROP');
    expect(evaluatePacket(m, { protocol: 'udp', src: '1.1.1.1', dport: 5000, inInterface: 'eth1' }).verdict).toBe(
      'ACCEPT',
    );
    expect(evaluatePacket(m, { protocol: 'udp', src: '1.1.1.1', dport: 53, inInterface: 'eth1' }).verdict).toBe('DROP');
  });

  it('notes assumptions for matches it cannot evaluate and for files that would not load', () => {
    const m = parseRulesFile(
      '*filter\n-A INPUT -m limit --limit 5/min -j ACCEPT\n-A INPUT -p icmp -icmp-type any -j DROP\nCOMMIT',
    );
    const r = evaluatePacket(m, { protocol: 'icmp', src: '1.1.1.1' });
    expect(r.verdict).toBe('ACCEPT');
    expect(r.assumptions).toEqual([
      'the ruleset has errors; iptables-restore would refuse to load it',
      expect.stringContaining('assumed `-m limit --limit 5/min` matches'),
    ]);
  });

  it('treats a start chain that does not exist as the kernel default ACCEPT', () => {
    expect(
      evaluatePacket(chapter, { chain: 'PREROUTING', table: 'nat', protocol: 'tcp', src: '1.1.1.1' }),
    ).toMatchObject({ verdict: 'ACCEPT', byPolicy: true });
  });
});
