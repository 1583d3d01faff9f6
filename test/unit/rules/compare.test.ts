import { describe, expect, it } from 'vitest';
import { chainEquals, getChain, parseRulesFile, rulesetEquivalent } from '../../../labkit/rules';
import { fixture } from './load-fixture';

const chapter = fixture('chapter-default.iptables');

describe('rulesetEquivalent', () => {
  it('finds the chapter file equivalent to what iptables-nft 1.8.9 saves for it', () => {
    expect(rulesetEquivalent(chapter, fixture('saved-nft-1.8.9.iptables'))).toEqual({ equal: true, differences: [] });
  });

  it('ignores counters from `iptables-save -c`', () => {
    expect(rulesetEquivalent(chapter, fixture('saved-counters.iptables')).equal).toBe(true);
  });

  it('matches a file of many variants with its real iptables-save output', () => {
    expect(rulesetEquivalent(fixture('variants.iptables'), fixture('variants-saved.iptables'))).toEqual({
      equal: true,
      differences: [],
    });
  });

  it('reports a commented-out rule once, by its expected position', () => {
    const edited = chapter.replace('-A RH-Firewall-1-INPUT -p icmp', '#-A RH-Firewall-1-INPUT -p icmp');
    expect(rulesetEquivalent(chapter, edited).differences).toEqual([
      'RH-Firewall-1-INPUT rule 2: expected `-p icmp --icmp-type any -j ACCEPT`, found nothing',
    ]);
  });

  it('reports a changed rule as expected-vs-found with the student’s line number', () => {
    const edited = chapter.replace('--dport 80 -j ACCEPT', '-s 172.16.1.0/24 --dport 80 -j ACCEPT');
    expect(rulesetEquivalent(chapter, edited).differences).toEqual([
      'RH-Firewall-1-INPUT rule 6: expected `-m state --state NEW -m tcp -p tcp --dport 80 -j ACCEPT`, found `-m state --state NEW -m tcp -p tcp -s 172.16.1.0/24 --dport 80 -j ACCEPT` (line 15)',
    ]);
  });

  it('reports rules added after the catch-all REJECT', () => {
    const edited = chapter.replace('COMMIT', '-A RH-Firewall-1-INPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT');
    expect(rulesetEquivalent(chapter, edited).differences).toEqual([
      'RH-Firewall-1-INPUT rule 9: unexpected `-p tcp --dport 443 -j ACCEPT` (line 18)',
    ]);
  });

  it('reports policy changes and missing chains', () => {
    const edited = chapter.replace(':INPUT ACCEPT', ':INPUT DROP');
    expect(rulesetEquivalent(chapter, edited).differences).toEqual(['chain INPUT: expected policy ACCEPT, found DROP']);
    expect(rulesetEquivalent(chapter, edited, { ignorePolicies: true }).equal).toBe(true);
  });

  it('never calls a file that would not load equivalent, unless asked to compare intent only', () => {
    const misprinted = fixture('chapter-misprinted.iptables').replace('-i To', '-i lo');
    const strict = rulesetEquivalent(chapter, misprinted);
    expect(strict.equal).toBe(false);
    expect(strict.differences[0]).toContain('would not load: line 11');
    expect(rulesetEquivalent(chapter, misprinted, { ignoreLoadErrors: true }).equal).toBe(true);
  });

  it('can restrict the comparison to some chains', () => {
    const edited = chapter.replace('-A FORWARD -j RH-Firewall-1-INPUT\n', '');
    expect(rulesetEquivalent(chapter, edited).equal).toBe(false);
    expect(rulesetEquivalent(chapter, edited, { chains: ['RH-Firewall-1-INPUT', 'INPUT'] }).equal).toBe(true);
  });
});

describe('chainEquals', () => {
  it('compares rules in order and the policy', () => {
    const a = getChain(parseRulesFile(chapter), 'RH-Firewall-1-INPUT');
    const b = getChain(parseRulesFile(fixture('saved-nft-1.8.9.iptables')), 'RH-Firewall-1-INPUT');
    expect(a && b && chainEquals(a, b)).toBe(true);
  });
});
