import { describe, expect, it } from 'vitest';
import { formatRule, parseRuleSpec, ruleEquals, ruleKey } from '../../../labkit/rules';

const key = (spec: string): string => ruleKey(parseRuleSpec(spec));

describe('ruleKey treats semantically identical spellings as the same rule', () => {
  const same: ReadonlyArray<readonly [string, string, string]> = [
    ['protocol numbers and names', '-A X -p 50 -j ACCEPT', '-A X -p esp -j ACCEPT'],
    ['protocol 51 is ah', '-A X -p 51 -j ACCEPT', '-A X -p AH -j ACCEPT'],
    ['icmp is 1, tcp 6, udp 17', '-A X -p 1 -j ACCEPT', '-A X -p ICMP -j ACCEPT'],
    ['`-p all` is no protocol', '-A X -p all -j ACCEPT', '-A X -j ACCEPT'],
    [
      'prefix vs dotted mask, host bits cleared',
      '-A X -s 10.1.1.5/24 -j ACCEPT',
      '-A X --source 10.1.1.0/255.255.255.0 -j ACCEPT',
    ],
    ['--src alias and plain IP = /32', '-A X --src 10.1.1.5 -j ACCEPT', '-A X -s 10.1.1.5/32 -j ACCEPT'],
    ['0.0.0.0/0 is no condition', '-A X -s 0.0.0.0/0 -d 0/0 -j ACCEPT', '-A X -j ACCEPT'],
    ['old and modern negation', '-A X -s ! 10.1.1.0/24 -j DROP', '-A X ! -s 10.1.1.0/24 -j DROP'],
    [
      'long option names',
      '--append X --protocol tcp --destination-port 22 --jump ACCEPT',
      '-A X -p tcp --dport 22 -j ACCEPT',
    ],
    [
      'explicit -m tcp is implied by -p tcp',
      '-A X -m tcp -p tcp --dport 80 -j ACCEPT',
      '-A X -p tcp --dport 80 -j ACCEPT',
    ],
    [
      'option order',
      '-A X -m state --state NEW -m tcp -p tcp --dport 80 -j ACCEPT',
      '-A X -p tcp -m state --state NEW -m tcp --dport 80 -j ACCEPT',
    ],
    [
      'state list order',
      '-A X -m state --state ESTABLISHED,RELATED -j ACCEPT',
      '-A X -m state --state RELATED,ESTABLISHED -j ACCEPT',
    ],
    ['state ≡ conntrack ctstate', '-A X -m state --state NEW -j ACCEPT', '-A X -m conntrack --ctstate NEW -j ACCEPT'],
    [
      'icmp-type any ≡ 255 ≡ none',
      '-A X -p icmp --icmp-type any -j ACCEPT',
      '-A X -p icmp -m icmp --icmp-type 255 -j ACCEPT',
    ],
    ['icmp-type any ≡ no icmp-type', '-A X -p icmp --icmp-type any -j ACCEPT', '-A X -p icmp -j ACCEPT'],
    ['icmp type names', '-A X -p icmp --icmp-type echo-request -j ACCEPT', '-A X -p icmp --icmp-type 8 -j ACCEPT'],
    ['service names', '-A X -p tcp --dport http -j ACCEPT', '-A X -p tcp --dport 80 -j ACCEPT'],
    [
      'ssh and https',
      '-A X -p tcp -m multiport --dports https,ssh -j ACCEPT',
      '-A X -p tcp -m multiport --dports 22,443 -j ACCEPT',
    ],
    [
      'single multiport port ≡ --dport',
      '-A X -p tcp -m multiport --dports 80 -j ACCEPT',
      '-A X -p tcp --dport 80 -j ACCEPT',
    ],
    ['open-ended port ranges', '-A X -p tcp --sport 1024: -j ACCEPT', '-A X -p tcp --sport 1024:65535 -j ACCEPT'],
    ['default REJECT reason', '-A X -j REJECT', '-A X -j REJECT --reject-with icmp-port-unreachable'],
    [
      'REJECT reason aliases',
      '-A X -j REJECT --reject-with host-prohib',
      '-A X -j REJECT --reject-with icmp-host-prohibited',
    ],
    ['--syn ≡ its tcp-flags', '-A X -p tcp --syn -j ACCEPT', '-A X -p tcp --tcp-flags SYN,ACK,FIN,RST SYN -j ACCEPT'],
    [
      'comments are not semantic',
      '-A X -p tcp --dport 80 -m comment --comment "web" -j ACCEPT',
      '-A X -p tcp --dport 80 -j ACCEPT',
    ],
    ['abbreviated long options (getopt)', '-A X -p icmp --j DROP', '-A X -p icmp -j DROP'],
    ['--opt=value form', '-A X -p tcp --dport=22 -j ACCEPT', '-A X -p tcp --dport 22 -j ACCEPT'],
  ];
  it.each(same)('%s', (_why, a, b) => {
    expect(key(a)).toBe(key(b));
  });
});

describe('ruleKey distinguishes rules that mean different things', () => {
  const different: ReadonlyArray<readonly [string, string, string]> = [
    ['negation', '-A X -s 10.1.1.0/24 -j DROP', '-A X ! -s 10.1.1.0/24 -j DROP'],
    ['target', '-A X -p icmp -j DROP', '-A X -p icmp -j REJECT'],
    ['reject reason', '-A X -j REJECT', '-A X -j REJECT --reject-with icmp-host-prohibited'],
    ['chain', '-A X -j ACCEPT', '-A Y -j ACCEPT'],
    ['interface', '-A X -i lo -j ACCEPT', '-A X -i To -j ACCEPT'],
    ['network size', '-A X -s 172.16.1.0/24 -j ACCEPT', '-A X -s 172.16.0.0/16 -j ACCEPT'],
    ['port', '-A X -p tcp --dport 80 -j ACCEPT', '-A X -p tcp --dport 8080 -j ACCEPT'],
    ['negated icmp-type any matches nothing', '-A X -p icmp ! --icmp-type any -j ACCEPT', '-A X -p icmp -j ACCEPT'],
    ['unknown matches are kept', '-A X -m limit --limit 5/min -j LOG', '-A X -j LOG'],
  ];
  it.each(different)('%s', (_why, a, b) => {
    expect(key(a)).not.toBe(key(b));
  });
});

describe('ruleEquals', () => {
  it('can ignore the chain name', () => {
    const a = parseRuleSpec('-A INPUT -p esp -j ACCEPT');
    const b = parseRuleSpec('-A RH-Firewall-1-INPUT -p 50 -j ACCEPT');
    expect(ruleEquals(a, b)).toBe(false);
    expect(ruleEquals(a, b, { ignoreChain: true })).toBe(true);
  });
});

describe('formatRule', () => {
  it('prints a canonical, iptables-save-like rule', () => {
    const r = parseRuleSpec(
      '-A RH-Firewall-1-INPUT -m state --state NEW -m tcp -p tcp -s 172.16.1.9/24 --dport http -j ACCEPT',
    );
    expect(formatRule(r)).toBe(
      '-A RH-Firewall-1-INPUT -s 172.16.1.0/24 -p tcp -m state --state NEW --dport 80 -j ACCEPT',
    );
  });

  it('quotes option values containing spaces', () => {
    const r = parseRuleSpec('-A INPUT -j LOG --log-prefix "IPT drop: "');
    expect(formatRule(r)).toBe('-A INPUT -j LOG --log-prefix "IPT drop: "');
  });

  it('keeps the rule text readable for unknown matches', () => {
    const r = parseRuleSpec('-A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG');
    expect(formatRule(r)).toBe('-A INPUT -m limit --limit 5/min --limit-burst 10 -j LOG');
  });
});
