import { clock } from '../../../labkit/journalEvidence';
import { stepText } from '../../../labkit/content';
import { couldNotTest, probeGreeting } from '../../../labkit/probes';
import {
  fail,
  inconclusive,
  pass,
  type CheckContext,
  type CheckResult,
  type LabStep,
  type SolveContext,
} from '../../../labkit/types';
import { addrs, CHAIN, FIREWALL_DOWN, liveRules, runningChain } from '../machine1';
import { lockouts } from '../sshLockout';

export const NO_JOURNAL =
  "This step is judged from the host's journal of your lab, which this server does not keep. Ask your instructor.";

/** What both lockout steps require now: the firewall runs and Machine 2 gets an ssh greeting again. */
export async function sshBack(ctx: CheckContext): Promise<CheckResult | undefined> {
  const a = addrs(ctx.view);
  if (!runningChain(await liveRules(ctx))) return fail(FIREWALL_DOWN);
  const ssh = await probeGreeting(ctx, { from: 'machine2', to: a.m1, port: 22 });
  if (ssh.kind === 'unknown') return inconclusive(couldNotTest('ssh from Machine 2'));
  if (ssh.kind !== 'greeted' || !ssh.line.startsWith('SSH-'))
    return fail(
      `Machine 2 still cannot log in to Machine 1 over ssh (${ssh.kind === 'greeted' ? 'something else answered' : `the connection ${ssh.kind}`}). On Machine 1's console, list ${CHAIN} with \`--line-numbers\` and delete the rule that refuses port 22.`,
    );
  return undefined;
}

/** Logs in from Machine 2 with ssh; resolves once Machine 1's prompt shows in Machine 2's terminal. */
export async function sshIn(ctx: SolveContext): Promise<void> {
  const a = addrs(ctx.view);
  const host = ctx.deployment.machines.find((m) => m.id === 'machine1')?.hostname ?? 'machine1';
  const since = ctx.mark('machine2');
  await ctx.typeLine('machine2', `sshpass -p iptables-lab ssh root@${a.m1}`);
  await ctx.waitFor('machine2', new RegExp(`root@${host}`), { since, timeoutMs: 30_000 });
}

/** Leaves the ssh session once it answers again; resolves at Machine 2's own prompt. */
export async function sshOut(ctx: SolveContext): Promise<void> {
  const since = ctx.mark('machine2');
  await ctx.typeLine('machine2', 'exit');
  await ctx.waitFor('machine2', /Connection to .* closed/, { since, timeoutMs: 120_000 });
}

/** Latches: the lockout and the way back happened once. */
export const lockedOut: LabStep = {
  id: 'locked-out',
  ...stepText(new URL('./09-locked-out.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    if (!ctx.journal) return fail(NO_JOURNAL);
    const { loggedIn, found } = await lockouts(ctx.journal, a);
    if (!loggedIn)
      return fail(
        `The host has not seen an ssh login from Machine 2 to Machine 1 yet: run \`ssh root@${a.m1}\` on Machine 2 first.`,
      );
    const last = found.at(-1);
    if (!last)
      return fail(
        `The host has not seen Machine 1's rules shut ssh out while you were logged in from Machine 2. In the ssh session, insert \`-p tcp --dport 22 -j REJECT\` at the top of ${CHAIN}.`,
      );
    if (last.backAt === undefined)
      return fail(
        `Since ${clock(last.cutAt)} Machine 1 refuses ssh from Machine 2: you are locked out. Go to Machine 1's own terminal (its console) and delete that rule.`,
      );
    const wrong = await sshBack(ctx);
    if (wrong) return wrong;
    return pass(
      `Locked out at ${clock(last.cutAt)}, back in at ${clock(last.backAt)}: only the console could help once the rules refused your own session.`,
    );
  },
  async solve(ctx) {
    await sshIn(ctx);
    await ctx.typeLine('machine2', `iptables -I ${CHAIN} -p tcp --dport 22 -j REJECT`);
    // Keystrokes into the cut session: Machine 1 rejects them, and the host sees it.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await ctx.typeLine('machine2', '');
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    await ctx.run('machine1', `iptables -D ${CHAIN} 1`);
    await sshOut(ctx);
  },
};
