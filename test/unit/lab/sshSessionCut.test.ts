import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../../labkit/journal';
import { sessionCut } from '../../../labs/iptables-more-rules/sshLockout';
import { M1, M2, ADDRS, chapterRules, ruleset } from './sshLockoutJournal';

describe('whether a ruleset surely cuts the ssh session already open from Machine 2', () => {
  const cuts = (top: string[]) =>
    sessionCut(ruleset(0, chapterRules(top)) as Extract<JournalEvent, { kind: 'ruleset' }>, ADDRS);

  it('holds for port 22 refused outright, by REJECT or DROP, from anywhere or from Machine 2', () => {
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT'])).toBe(true);
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j DROP'])).toBe(true);
    expect(
      cuts([
        `-A RH-Firewall-1-INPUT -s ${M2}/32 -d ${M1}/32 -p tcp -m tcp --dport 22 -j REJECT --reject-with tcp-reset`,
      ]),
    ).toBe(true);
  });

  it('does not hold for rules that refuse only new connections', () => {
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -j REJECT'])).toBe(
      false,
    );
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j REJECT'])).toBe(false);
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m state --state NEW,ESTABLISHED -m tcp --dport 22 -j REJECT'])).toBe(
      false,
    );
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 --tcp-flags PSH NONE -j REJECT'])).toBe(false);
  });

  it('does not hold when the refusal rests on a condition the host cannot decide, or an exception it cannot rule out', () => {
    expect(
      cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -m statistic --mode random --probability 0.9 -j REJECT']),
    ).toBe(false);
    expect(
      cuts([
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --sport 40000:65535 --dport 22 -j ACCEPT',
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT',
      ]),
    ).toBe(false);
    expect(
      cuts([
        '-A RH-Firewall-1-INPUT -p tcp -m length --length 0:80 -m tcp --dport 22 -j ACCEPT',
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT',
      ]),
    ).toBe(false);
  });

  it('still holds with a logging rule the host cannot decide in front of the refusal', () => {
    expect(
      cuts([
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -m limit --limit 5/min -j LOG',
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT',
      ]),
    ).toBe(true);
  });
});
