import { describe, expect, it } from 'vitest';
import {
  findRuleIndex,
  findRules,
  getChain,
  indexOfFinalReject,
  parseRulesFile,
  unreachableRules,
} from '../../../labkit/rules';
import { fixture } from './load-fixture';

const model = parseRulesFile(fixture('chapter-default.iptables'));
const chain = getChain(model, 'RH-Firewall-1-INPUT');

describe('findRules', () => {
  it('accepts a rule spec compared semantically, in any spelling', () => {
    expect(findRules(chain, '-p icmp -m icmp --icmp-type 255 -j ACCEPT').map((r) => r.line)).toEqual([11]);
    expect(findRuleIndex(chain, '-p tcp -m state --state NEW --dport http -j ACCEPT')).toBe(5);
  });

  it('accepts a predicate', () => {
    expect(findRules(chain, (r) => r.matches.dport?.includes('22') === true)).toHaveLength(1);
    expect(findRuleIndex(chain, (r) => r.target === 'DROP')).toBe(-1);
  });
});

describe('indexOfFinalReject', () => {
  it('finds the catch-all REJECT (0-based)', () => {
    expect(indexOfFinalReject(chain)).toBe(7);
  });

  it('ignores conditional REJECT/DROP rules and lists rules made unreachable by the catch-all', () => {
    const m = parseRulesFile(
      '*filter\n-A INPUT -p icmp -j DROP\n-A INPUT -j DROP\n-A INPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT',
    );
    const input = getChain(m, 'INPUT');
    expect(indexOfFinalReject(input)).toBe(1);
    expect(unreachableRules(input).map((r) => r.line)).toEqual([4]);
  });
});
