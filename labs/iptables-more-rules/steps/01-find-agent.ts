import { stepText } from '../../../labkit/content';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs } from '../machine1';

/** Latches: the answers were right once; the next steps change the agent's rule. */
export const findAgent: LabStep = {
  id: 'find-agent',
  ...stepText(new URL('./01-find-agent.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const { m1, port } = addrs(ctx.view);
    const given = (ctx.answers.port ?? '').trim();
    const state = (ctx.answers.state ?? '').trim().toLowerCase();
    if (!given || !state) return fail('Answer both questions below before checking.');
    // nmap prints the port as "7123/tcp": that, or the bare number.
    const digits = /^(?:port\s+)?(\d{1,5})(?:\/tcp)?$/i.exec(given)?.[1];
    if (digits === undefined)
      return fail(`"${given}" is not a port number: give the number nmap showed as open, e.g. 7123.`);
    const number = Number(digits);
    if (number === 22 || number === 80)
      return fail(`Port ${number} is one of Machine 1's usual services. The agent listens between 7000 and 7999.`);
    if (number !== port)
      return fail(
        `Port ${number} is not where the agent listens on your Machine 1 (${m1}). Every learner's agent has its own port: scan your own Machine 1 with \`nmap -p 7000-7999 ${m1}\` from Machine 2.`,
      );
    if (/\bclosed\b/.test(state))
      return fail(
        'Not closed: a closed port answers with a TCP reset. Machine 1 answers with an ICMP error from its REJECT rule. What does nmap call that?',
      );
    if (!/\bfiltered\b/.test(state))
      return fail('Look at the STATE column nmap prints for the ports that did not answer.');
    return pass(
      `Right: the agent listens on port ${port}, and the other ports show as filtered, because Machine 1's REJECT answers them with "host prohibited" rather than a TCP reset.`,
    );
  },
  async solve(ctx) {
    const { m1, port } = addrs(ctx.view);
    const since = ctx.mark('machine2');
    await ctx.typeLine('machine2', `nmap -p ${port - 3}-${port + 3} ${m1}`);
    await ctx.waitFor('machine2', /Nmap done/, { since, timeoutMs: 60_000 });
    ctx.answer('port', String(port));
    ctx.answer('state', 'filtered');
  },
};
