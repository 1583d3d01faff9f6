import { describe, expect, it } from 'vitest';
import { MAX_UNCERTAIN_RULES, parseRulesFile, refusedForCertain, type Packet } from '../../../labkit/rules';

const rules = (...lines: string[]) =>
  parseRulesFile(
    ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ...lines, 'COMMIT'].join('\n'),
  );
const ssh: Packet = { protocol: 'tcp', src: '10.0.0.2', dst: '10.0.0.1', dport: 22, state: 'ESTABLISHED' };

describe('refusals that hold however the unknowns go', () => {
  it('is certain of a plain refusal, and of a refusal behind a logging rule it cannot decide', () => {
    expect(refusedForCertain(rules('-A INPUT -p tcp --dport 22 -j REJECT'), [ssh])).toBe(true);
    expect(refusedForCertain(rules('-A INPUT -m limit --limit 1/s -j LOG', '-A INPUT -j DROP'), [ssh])).toBe(true);
  });

  it('is not certain when the refusing rule has a condition it cannot decide', () => {
    expect(refusedForCertain(rules('-A INPUT -p tcp -m length --length 0:100 -j DROP'), [ssh])).toBe(false);
  });

  it('tries every combination: two undecidable rules that each refuse at one extreme but accept in a mix', () => {
    const r = rules(
      '-A INPUT -m statistic --mode random --probability 0.5 -j REJECT',
      '-A INPUT -m statistic --mode nth --every 2 --packet 0 -j ACCEPT',
      '-A INPUT -j REJECT',
    );
    expect(refusedForCertain(r, [ssh])).toBe(false);
  });

  it('is not certain when an undecidable rule jumps to a chain that accepts', () => {
    const r = rules(':OPEN - [0:0]', '-A INPUT -m mark --mark 7 -j OPEN', '-A INPUT -j DROP', '-A OPEN -j ACCEPT');
    expect(refusedForCertain(r, [ssh])).toBe(false);
  });

  it('gives up, saying not certain, past its limit of undecidable rules', () => {
    const many = Array.from({ length: MAX_UNCERTAIN_RULES + 1 }, (_, i) => `-A INPUT -m mark --mark ${i} -j DROP`);
    expect(refusedForCertain(rules(...many, '-A INPUT -j DROP'), [ssh])).toBe(false);
  });

  it('needs every packet refused', () => {
    const pushed: Packet = { ...ssh, tcpFlags: ['ACK', 'PSH'] };
    const r = rules('-A INPUT -p tcp --tcp-flags PSH NONE -j REJECT');
    expect(refusedForCertain(r, [ssh])).toBe(true);
    expect(refusedForCertain(r, [ssh, pushed])).toBe(false);
  });
});
