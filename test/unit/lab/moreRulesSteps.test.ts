import { describe, expect, it } from 'vitest';
import type { JournalEvent, JournalKind, LabJournal } from '../../../labkit/journal';
import { getChain, parseRulesFile, type ChainModel } from '../../../labkit/rules';
import type { CheckContext, LabView } from '../../../labkit/types';
import { agentRuleBelowReject } from '../../../labs/iptables-more-rules/machine1';
import { findAgent } from '../../../labs/iptables-more-rules/steps/01-find-agent';
import { stateOn } from '../../../labs/iptables-more-rules/steps/06-state-on';

const PORT = 7316;
const ADDRESSES: Readonly<Record<string, string>> = {
  'machine1/lan': '10.1.3.1',
  'machine1/office': '172.16.3.1',
  'machine2/lan': '10.1.3.2',
  'office-pc/office': '172.16.3.10',
};
const view: LabView = {
  address: (machine, network) => ADDRESSES[`${machine}/${network}`] ?? '',
  subnet: (network) => (network === 'lan' ? '10.1.3.0/24' : '172.16.3.0/24'),
  param: () => String(PORT),
};

/** Machine 1's chain as the lab ships it, with rules of the test's own put in before the REJECT or after it. */
const rules = ({ above = [] as string[], below = [] as string[], state = true } = {}): string =>
  [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':RH-Firewall-1-INPUT - [0:0]',
    '-A INPUT -j RH-Firewall-1-INPUT',
    '-A RH-Firewall-1-INPUT -i lo -j ACCEPT',
    ...(state ? ['-A RH-Firewall-1-INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT'] : []),
    '-A RH-Firewall-1-INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT',
    ...above,
    '-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited',
    ...below,
    'COMMIT',
  ].join('\n');

const chain = (text: string): ChainModel => getChain(parseRulesFile(text), 'RH-Firewall-1-INPUT') as ChainModel;

function journalOf(events: JournalEvent[]): LabJournal {
  const events_ = (...kinds: JournalKind[]) => Promise.resolve(events.filter((e) => kinds.includes(e.kind)));
  return { events: events_ as LabJournal['events'] };
}

const ruleset = (at: number, text: string): JournalEvent => ({
  kind: 'ruleset',
  at,
  machineId: 'machine1',
  rules: text,
  hash: String(at),
  reloaded: false,
  firewall: 'running',
});

/** A context that reads Machine 1's running rules from the host and may not probe: the step must decide before. */
function context(running: string, journal: LabJournal | undefined, answers: Record<string, string> = {}): CheckContext {
  const unused = (): never => {
    throw new Error('this check must decide without it');
  };
  return {
    deployment: { deploymentId: 'x', slot: 3, networks: [], machines: [], createdAt: 0 },
    view,
    sh: unused,
    netnsExec: (_machine, command) =>
      command[0] === 'iptables-nft-save'
        ? Promise.resolve({ exitCode: 0, stdout: running, stderr: '', timedOut: false, trusted: true })
        : unused(),
    readFile: unused,
    terminals: { transcript: unused, type: unused },
    answers,
    journal,
  };
}

describe('step 1: the agent’s port as nmap prints it', () => {
  it.each([`${PORT}`, `${PORT}/tcp`, `${PORT}/TCP`, `port ${PORT}`])('accepts "%s"', async (port) => {
    expect(await findAgent.check(context('', undefined, { port, state: 'filtered' }))).toMatchObject({ passed: true });
  });

  it.each(['7x16', `${PORT}/udp`, `${PORT} 7317`])('names "%s" back as no port number', async (port) => {
    const verdict = await findAgent.check(context('', undefined, { port, state: 'filtered' }));
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toContain('is not a port number');
  });
});

describe('step 2: an office rule appended below the final REJECT', () => {
  const office = `-A RH-Firewall-1-INPUT -s 172.16.3.0/24 -p tcp -m tcp --dport ${PORT} -j ACCEPT`;

  it('is named with its number and the REJECT’s, where no packet reaches it', () => {
    expect(agentRuleBelowReject(chain(rules({ below: [office] })), PORT)).toEqual({ rule: 5, reject: 4 });
  });

  it('is not mentioned while a rule above the REJECT names the port', () => {
    expect(agentRuleBelowReject(chain(rules({ above: [office], below: [office] })), PORT)).toBeUndefined();
    expect(agentRuleBelowReject(chain(rules()), PORT)).toBeUndefined();
  });
});

describe('step 6: putting the state rule back needs it to have been away', () => {
  it('does not pass a lab whose state rule never left (a fresh lab, a grading run)', async () => {
    const journal = journalOf([ruleset(1, rules())]);
    const verdict = await stateOn.check(context(rules(), journal));
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toContain('never taken away');
  });

  it('goes on to test the connection once the host saw the chain run without it', async () => {
    const journal = journalOf([ruleset(1, rules()), ruleset(2, rules({ state: false })), ruleset(3, rules())]);
    // The check then probes Machine 1's connection, which this context refuses: it got past the journal.
    await expect(stateOn.check(context(rules(), journal))).rejects.toThrow('must decide without it');
  });

  it('a firewall stopped or missing its REJECT is not the experiment', async () => {
    const noReject = rules({ state: false }).replace(/^-A RH-Firewall-1-INPUT -j REJECT.*$/m, '');
    const stopped: JournalEvent = {
      kind: 'ruleset',
      at: 2,
      machineId: 'machine1',
      rules: '',
      hash: '2',
      reloaded: true,
      firewall: 'stopped',
    };
    const journal = journalOf([ruleset(1, rules()), stopped, ruleset(3, noReject)]);
    expect(await stateOn.check(context(rules(), journal))).toMatchObject({ passed: false });
  });
});
