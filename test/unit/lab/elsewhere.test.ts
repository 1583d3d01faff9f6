import { describe, expect, it } from 'vitest';
import { parseRulesFile } from '../../../labkit/rules';
import { rulesElsewhere } from '../../../labs/iptables-single-server/elsewhere';

/** What iptables-nft-save prints for a fresh Machine 1 besides its filter table: Docker's DNS. */
const DOCKER_NAT = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER_OUTPUT - [0:0]
:DOCKER_POSTROUTING - [0:0]
-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT
-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:40549
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport 40549 -j SNAT --to-source :53
COMMIT
`;

describe('rules outside the filter table that change what the clients see', () => {
  it('finds none on a fresh Machine 1 (Docker’s DNS rules are not the learner’s)', () => {
    expect(rulesElsewhere(parseRulesFile(DOCKER_NAT))).toEqual([]);
  });

  it('names a raw-table DROP, a mangle policy and a filter OUTPUT rule, with their places', () => {
    const found = rulesElsewhere(
      parseRulesFile(`*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -s 10.1.3.2/32 -p tcp -m tcp --dport 80 -j DROP
COMMIT
*mangle
:PREROUTING DROP [0:0]
-A PREROUTING -j LOG
COMMIT
*filter
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -j ACCEPT
-A OUTPUT -d 10.1.3.2/32 -j DROP
COMMIT
`),
    );
    expect(found).toEqual([
      { table: 'raw', chain: 'PREROUTING', index: 0, text: '-s 10.1.3.2/32 -p tcp -m tcp --dport 80 -j DROP' },
      { table: 'mangle', chain: 'PREROUTING', index: -1, text: '-P PREROUTING DROP' },
      { table: 'filter', chain: 'OUTPUT', index: 0, text: '-d 10.1.3.2/32 -j DROP' },
    ]);
  });
});
