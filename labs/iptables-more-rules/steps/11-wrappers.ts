import { stepText } from '../../../labkit/content';
import { couldNotTest, describePort, probeGreeting, type GreetingOutcome } from '../../../labkit/probes';
import { fail, inconclusive, pass, type LabStep } from '../../../labkit/types';
import { acceptsTcpFrom, parseRulesFile } from '../../../labkit/rules';
import { addrs, CHAIN, FIREWALL_DOWN, liveRules, RULES_FILE, runningChain } from '../machine1';

const WRAPPER_FILES = ['/etc/hosts.deny', '/etc/hosts.allow'];
/** A comment line that points at the other layer. */
const NOTE_OF_IPTABLES = /^\s*#.*(iptables|firewall|sysconfig)/im;
const NOTE_OF_WRAPPERS = /^\s*#.*(wrapper|hosts\.(deny|allow)|libwrap|tcpd)/im;

const said = (o: GreetingOutcome): string => {
  if (o.kind === 'greeted') return `was greeted with "${o.line.slice(0, 40)}"`;
  if (o.kind === 'closed' || o.kind === 'silent') return 'was accepted and then got no greeting';
  return describePort[o.kind];
};

/** Current: the office is refused by sshd's wrappers, not by the firewall, and both files say so. */
export const wrappers: LabStep = {
  id: 'wrappers',
  ...stepText(new URL('./11-wrappers.md', import.meta.url)),
  latching: 'current',
  async check(ctx) {
    const a = addrs(ctx.view);
    const live = await liveRules(ctx);
    if (!runningChain(live)) return fail(FIREWALL_DOWN);
    if (!acceptsTcpFrom(live, a.pc, 22, { inInterface: 'eth1' }))
      return fail(
        `Machine 1's firewall refuses ssh from office-pc, so no daemon ever sees it. For this step keep port 22 open in ${CHAIN} and refuse the office in /etc/hosts.deny instead.`,
      );
    // All at once. A wrapper's refusal is silence for about 5 s, then a close; silence from the
    // sshd that greets Machine 2 in the same moment is already that refusal, so no need to wait 5 s.
    const [office, lan, notes, file] = await Promise.all([
      probeGreeting(ctx, { from: 'office-pc', to: a.m1Office, port: 22, waitS: 3 }),
      probeGreeting(ctx, { from: 'machine2', to: a.m1, port: 22 }),
      Promise.all(WRAPPER_FILES.map(async (p) => (await ctx.readFile('machine1', p))?.data.toString('utf8') ?? '')),
      ctx.readFile('machine1', RULES_FILE),
    ]);
    if (office.kind === 'unknown' || lan.kind === 'unknown' || (office.kind === 'silent' && lan.kind !== 'greeted'))
      return inconclusive(couldNotTest('ssh to Machine 1'));
    if (office.kind === 'greeted')
      return fail(
        `office-pc still gets the ssh greeting from Machine 1: add \`sshd: ${a.office}\` to /etc/hosts.deny on Machine 1 (no restart needed, sshd reads it for every connection).`,
      );
    if (office.kind !== 'closed' && office.kind !== 'silent')
      return fail(
        `office-pc's ssh connection ${said(office)}: that is the firewall refusing it, not the daemon. Keep port 22 open in iptables and refuse the office in /etc/hosts.deny instead.`,
      );
    if (lan.kind !== 'greeted')
      return fail(
        `Machine 2's ssh connection ${said(lan)}: only the office should be refused. Check /etc/hosts.deny and /etc/hosts.allow for a rule that also catches ${a.m2}.`,
      );
    if (!notes.some((t) => NOTE_OF_IPTABLES.test(t)))
      return fail(
        'Leave a note for the next admin in /etc/hosts.deny or /etc/hosts.allow: a `#` comment saying iptables also filters this host.',
      );
    if (!file)
      return fail(`\`${RULES_FILE}\` is missing on Machine 1: run \`service iptables save\`, then add your note.`);
    if (!NOTE_OF_WRAPPERS.test(file.data.toString('utf8')))
      return fail(
        `Leave the other note too: a \`#\` comment at the bottom of \`${RULES_FILE}\` saying that ssh from the office is refused by TCP wrappers (in /etc/hosts.deny).`,
      );
    if (!parseRulesFile(file.data.toString('utf8')).ok)
      return fail(
        `\`${RULES_FILE}\` would no longer load at the next restart: make sure your note is a line of its own starting with \`#\`.`,
      );
    return pass(
      'office-pc reaches sshd and is turned away by TCP wrappers (connected, then not a word and closed), Machine 2 still logs in, and both places carry a note about the other layer.',
    );
  },
  async solve(ctx) {
    const a = addrs(ctx.view);
    await ctx.run('machine1', `echo 'sshd: ${a.office}' >> /etc/hosts.deny`);
    await ctx.run('office-pc', `ssh -o BatchMode=yes root@${a.m1Office} true`, 20_000);
    await ctx.run('office-pc', `nc -v -w 3 ${a.m1Office} 25`, 20_000);
    await ctx.run(
      'machine1',
      "echo '# iptables also filters this host: see /etc/sysconfig/iptables' >> /etc/hosts.deny",
    );
    await ctx.run(
      'machine1',
      `echo '# ssh from the remote office is refused by TCP wrappers: see /etc/hosts.deny' >> ${RULES_FILE}`,
    );
  },
};
