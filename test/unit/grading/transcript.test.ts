import { describe, expect, it } from 'vitest';
import { pingEvidence } from '../../../labkit/pingEvidence';
import { pingLines, replyToErrorTransition } from '../../../labkit/pingRun';
import { commandRuns } from '../../../labkit/transcript';

const osc = (body: string): string => `\x1b]633;${body}\x07`;
/** A command as bash with the lab's shell integration prints it. */
const command = (line: string, output: string, exit?: number): string =>
  `${osc('A')}[root@machine2 ~]# ${line}\r\n${osc(`E;${line}`)}${osc('C')}${output.replace(/\n/g, '\r\n')}${exit === undefined ? '' : osc(`D;${exit}`)}`;

const replies = (from: number, to: number): string =>
  Array.from(
    { length: to - from + 1 },
    (_, i) => `64 bytes from 10.1.1.1: icmp_seq=${from + i} ttl=64 time=0.1 ms\n`,
  ).join('');
const errors = (from: number, to: number): string =>
  Array.from(
    { length: to - from + 1 },
    (_, i) => `From 10.1.1.1 icmp_seq=${from + i} Destination Host Prohibited\n`,
  ).join('');

describe('commandRuns', () => {
  it('splits a transcript into command line, plain output and exit code', () => {
    const runs = commandRuns(command('ls', '\x1b[01;34mdir\x1b[0m\n', 0) + command('false', '', 1) + osc('A'));
    expect(runs).toMatchObject([
      { commandLine: 'ls', output: 'dir\n', exitCode: 0, finished: true, forgedMarkers: false },
      { commandLine: 'false', exitCode: 1, finished: true },
    ]);
  });

  it('keeps a command that is still running, unfinished', () => {
    expect(commandRuns(command('ping 10.1.1.1', replies(1, 2)))).toMatchObject([
      { commandLine: 'ping 10.1.1.1', finished: false },
    ]);
  });

  it('flags markers printed by a program inside a running command as forged', () => {
    const forged = command(`printf '...'`, `${osc('E;ping 10.1.1.1')}${osc('C')}${replies(1, 1)}${errors(2, 2)}`, 0);
    expect(commandRuns(forged)).toMatchObject([{ commandLine: "printf '...'", forgedMarkers: true }]);
  });
});

describe('ping runs', () => {
  it('reads replies and both spellings of the error', () => {
    const lines = pingLines(
      `${replies(1, 1)}From 10.1.1.1 icmp_seq=2 Dest Unreachable, Bad Code: 10\nFrom machine1 (10.1.1.1) icmp_seq=3 Destination Host Prohibited\n`,
    );
    expect(lines.map((l) => [l.seq, l.kind])).toEqual([
      [1, 'reply'],
      [2, 'error'],
      [3, 'error'],
    ]);
  });

  it('finds the switch from replies to errors at consecutive icmp_seq values', () => {
    const t = replyToErrorTransition(pingLines(replies(1, 27) + errors(28, 31)));
    expect(t).toMatchObject({ lastReply: { seq: 27 }, firstError: { seq: 28 }, errorCount: 4 });
  });

  it('does not accept a jump in icmp_seq as one continuous observation', () => {
    expect(replyToErrorTransition(pingLines(replies(1, 3) + errors(40, 41)))).toBeUndefined();
  });
});

describe('pingEvidence: the learner watched their own ping change', () => {
  const targets = ['10.1.1.1', 'machine1'];

  it('accepts one real ping run going from replies to errors', () => {
    const evidence = pingEvidence(commandRuns(command('ping 10.1.1.1', replies(1, 5) + errors(6, 8), 0)), targets);
    expect(evidence).toMatchObject({ found: true, transition: { errorCount: 3 } });
  });

  it('refuses lines typed with echo', () => {
    const faked = command(
      'echo "From 10.1.1.1 icmp_seq=2 Destination Host Prohibited"',
      replies(1, 1) + errors(2, 2),
      0,
    );
    expect(pingEvidence(commandRuns(faked), targets)).toEqual({ found: false, reason: 'printed-by-other-command' });
  });

  it('refuses replies and errors from two separate runs', () => {
    const runs = commandRuns(
      command('ping -c 3 10.1.1.1', replies(1, 3), 0) + command('ping -c 3 10.1.1.1', errors(1, 3), 1),
    );
    expect(pingEvidence(runs, targets)).toEqual({ found: false, reason: 'separate-runs' });
  });

  it('refuses a ping to another machine', () => {
    expect(pingEvidence(commandRuns(command('ping 10.1.1.2', replies(1, 2) + errors(3, 4), 0)), targets)).toMatchObject(
      { found: false },
    );
  });

  it('refuses a ping run forged with markers inside another command', () => {
    const forged = command('cat fake', `${osc('E;ping 10.1.1.1')}${osc('C')}${replies(1, 2)}${errors(3, 4)}`, 0);
    expect(pingEvidence(commandRuns(forged), targets)).toMatchObject({ found: false });
  });
});

describe('shell functions and aliases standing in for programs', () => {
  const shadowed = (line: string, names: string, output: string, exit: number): string =>
    `${osc('A')}# ${line}\r\n${osc(`E;${line}`)}${osc(`P;LabShadowed=${names}`)}${osc('C')}${output}${osc(`D;${exit}`)}`;

  it('records which words of a command line were functions or aliases', () => {
    const runs = commandRuns(
      shadowed('iptables -A INPUT -j ACCEPT', 'function:iptables,', '', 0) + command('ls', '', 0),
    );
    expect(runs[0]?.shadowed).toEqual([{ kind: 'function', name: 'iptables' }]);
    expect(runs[1]?.shadowed).toBeUndefined();
  });

  it('never takes a shadowed ping as evidence', () => {
    const line = 'ping 10.1.1.1';
    const runs = commandRuns(
      shadowed(line, 'function:ping,', `${replies(1, 2)}${errors(3, 4)}`.replace(/\n/g, '\r\n'), 0),
    );
    expect(pingEvidence(runs, ['10.1.1.1'])).toEqual({ found: false, reason: 'shadowed' });
  });

  it('flags a LabShadowed marker printed inside output as forged', () => {
    const runs = commandRuns(command('printf x', `${osc('P;LabShadowed=')}x`, 0));
    expect(runs[0]?.forgedMarkers).toBe(true);
  });
});
