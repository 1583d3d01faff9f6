import { describe, expect, it } from 'vitest';
import {
  describeRanges,
  evaluatePacket,
  networkRange,
  parseRulesFile,
  rangeToNetworks,
  sourcePieces,
  type AddressRange,
} from '../../../labkit/rules';

const net = (cidr: string): AddressRange => {
  const r = networkRange(cidr);
  if (!r) throw new Error(cidr);
  return r;
};

describe('the address space, cut where source conditions start and end', () => {
  it('cuts at each rule’s network and at the extra networks asked for', () => {
    const model = parseRulesFile('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -j DROP\nCOMMIT\n');
    expect(sourcePieces(model, 'filter', ['10.1.3.0/24']).flatMap(rangeToNetworks)).toContain('10.1.3.0/24');
    expect(sourcePieces(model).map((r) => rangeToNetworks(r).join(' '))).toEqual([
      expect.stringContaining('0.0.0.0/5'),
      '10.0.0.0/8',
      expect.stringContaining('128.0.0.0/1'),
    ]);
  });

  it('writes a range as the fewest networks, and a huge set by what it leaves out', () => {
    expect(rangeToNetworks(net('172.16.0.0/16'))).toEqual(['172.16.0.0/16']);
    expect(rangeToNetworks({ first: net('10.1.3.0/24').first, last: net('10.1.4.0/24').last })).toEqual([
      '10.1.3.0/24',
      '10.1.4.0/24',
    ]);
    expect(
      describeRanges([
        { first: 0, last: net('10.1.3.0/24').first - 1 },
        { first: net('10.1.3.0/24').last + 1, last: 2 ** 32 - 1 },
      ]),
    ).toBe('every address except 10.1.3.0/24');
  });

  it('evaluates -m iprange exactly instead of assuming it matches', () => {
    const model = parseRulesFile(
      '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m iprange --src-range 172.16.3.0-172.16.3.255 --dport 80 -j ACCEPT\nCOMMIT\n',
    );
    const inside = evaluatePacket(model, { protocol: 'tcp', dport: 80, src: '172.16.3.77' });
    expect(inside).toMatchObject({ verdict: 'ACCEPT', assumptions: [] });
    expect(evaluatePacket(model, { protocol: 'tcp', dport: 80, src: '172.16.4.1' }).verdict).toBe('DROP');
    expect(sourcePieces(model).flatMap(rangeToNetworks)).toContain('172.16.3.0/24');
  });
});
