import { describe, expect, it } from 'vitest';
import { formatRule, parseRuleCommand } from '../../../labkit/rules';

describe('parseRuleCommand', () => {
  it('parses an insert with a position', () => {
    const c = parseRuleCommand('iptables -I RH-Firewall-1-INPUT 5 -p tcp --dport 443 -j ACCEPT');
    expect(c).toMatchObject({
      ok: true,
      program: 'iptables',
      action: 'I',
      table: 'filter',
      chain: 'RH-Firewall-1-INPUT',
      position: 5,
    });
    expect(c.rule && formatRule(c.rule)).toBe('-A RH-Firewall-1-INPUT -p tcp --dport 443 -j ACCEPT');
  });

  it('defaults -I to position 1, as iptables does', () => {
    expect(parseRuleCommand('iptables -I INPUT -j ACCEPT').position).toBe(1);
  });

  it('strips prompts, sudo and paths from transcript lines', () => {
    const c = parseRuleCommand('$ sudo /sbin/iptables -A INPUT -i lo -j ACCEPT');
    expect(c).toMatchObject({ ok: true, program: 'iptables', action: 'A', chain: 'INPUT' });
    expect(parseRuleCommand('# iptables -A INPUT -j DROP').action).toBe('A');
  });

  it('accepts an argv array', () => {
    const c = parseRuleCommand(['iptables', '-t', 'filter', '-A', 'INPUT', '-p', 'icmp', '-j', 'DROP']);
    expect(c.rule?.protocol).toBe('icmp');
  });

  it('handles shell quoting', () => {
    const c = parseRuleCommand(`iptables -A INPUT -j LOG --log-prefix 'dropped: '`);
    expect(c.rule?.targetOptions['log-prefix']).toBe('dropped: ');
  });

  it('reads the table from -t wherever it appears', () => {
    expect(parseRuleCommand('iptables -A POSTROUTING -t nat -o eth0 -j MASQUERADE').table).toBe('nat');
  });

  it('understands delete by number vs by rule spec', () => {
    expect(parseRuleCommand('iptables -D INPUT 3')).toMatchObject({ action: 'D', position: 3, rules: [] });
    expect(parseRuleCommand('iptables -D INPUT -p esp -j ACCEPT').rule?.protocol).toBe('esp');
  });

  it('parses policy, flush and new-chain commands', () => {
    expect(parseRuleCommand('iptables -P INPUT DROP')).toMatchObject({ action: 'P', chain: 'INPUT', policy: 'DROP' });
    expect(parseRuleCommand('iptables -F')).toMatchObject({ ok: true, action: 'F' });
    expect(parseRuleCommand('iptables -N LOGDROP')).toMatchObject({ action: 'N', chain: 'LOGDROP' });
  });

  it('reports the book’s old `-s ! net` negation but keeps its meaning', () => {
    const c = parseRuleCommand('iptables -A CHAIN-NAME -p icmp --icmp-type any -s ! 10.1.1.0/24 --j DROP');
    expect(c.ok).toBe(false);
    expect(c.problems.map((p) => p.code)).toEqual(['deprecated-negation', 'abbreviated-option']);
    expect(c.rule && formatRule(c.rule)).toBe('-A CHAIN-NAME ! -s 10.1.1.0/24 -p icmp -j DROP');
  });

  it('reports a missing command', () => {
    expect(parseRuleCommand('iptables -p tcp -j ACCEPT').problems[0]?.code).toBe('missing-command');
  });

  it('never throws', () => {
    for (const s of [
      '',
      'iptables',
      'iptables -A',
      'iptables -I X notanumber',
      '"',
      'iptables ! !',
      'iptables -A X -p',
    ]) {
      expect(() => parseRuleCommand(s)).not.toThrow();
    }
  });
});
