import { clock } from '../../../labkit/journalEvidence';
import { stepText } from '../../../labkit/content';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs, CHAIN } from '../machine1';
import type { Carried } from '../connectionsDuringCut';
import { lockouts, type Lockout } from '../sshLockout';
import { NO_JOURNAL, sshBack, sshIn, sshOut } from './09-locked-out';

/** A restore this soon after the cut cannot be a timer a person could not stop. */
const MIN_TIMER_MS = 5_000;

const AGAIN = 'Log in from Machine 2 again, start the safeguard, cut ssh, and leave Machine 1 alone until ssh is back.';

/**
 * Why the host cannot credit this lockout's return to a safeguard, or undefined when it can. A
 * hand reaches Machine 1 while ssh is cut through its console, whose every keystroke passes the
 * server (host-seen, whatever the shell inside reports); through the ssh session already open
 * from Machine 2, which only rules that surely refuse its packets shut; through a connection
 * opened meanwhile (the bridges show its SYN-ACK); or through one open since before the cut (the
 * kernel's byte counts, listed by the host at the cut and the return).
 */
export function byHand(l: Lockout): string | undefined {
  const back = clock(l.backAt ?? 0);
  if (l.typedUnknown)
    return `The journal no longer holds every keystroke since ${clock(l.cutAt)} (there was too much typing since), so the host cannot show that Machine 1's console was left alone. ${AGAIN}`;
  const first = l.typed[0];
  if (first)
    return `ssh came back at ${back}, but keys were typed at Machine 1's console at ${clock(first.at)}, while ssh was cut: the rules may have been put back by hand there. ${AGAIN}`;
  if (l.leaky)
    return `The rules loaded at ${clock(l.leaky.changedAt ?? l.leaky.at)} refused new ssh connections but not surely the session you already had open from Machine 2 (a rule with \`--syn\` or \`--state NEW\`, or a condition the host cannot decide), so that session could have put the rules back by hand. Cut ssh outright, every packet to port 22 as in the previous step, so only the safeguard can bring it back. ${AGAIN}`;
  const other = l.otherWay;
  if (other?.tcp)
    return `While ssh was cut, at ${clock(other.at)}, ${other.from === 'machine1' ? `Machine 1 accepted a connection from ${other.dst} to its port ${other.tcp.sport}` : `Machine 1 connected to ${other.src} port ${other.tcp.sport}`}: another way in, which could have put the rules back by hand. Leave Machine 1 alone, over the network too, until ssh is back. ${AGAIN}`;
  if (l.carried) return carriedMessage(l.carried, l);
  if ((l.backAt ?? 0) - l.cutAt < MIN_TIMER_MS)
    return `ssh came back at ${back}, less than ${MIN_TIMER_MS / 1000} s after the cut: too soon to tell a timer from a quick hand. Give the safeguard a timeout of 20 seconds or more.`;
  return undefined;
}

/** What a connection the cut left open did, or why the host cannot count it, as the learner reads it. */
function carriedMessage(c: Carried, l: Lockout): string {
  if (c.kind === 'unlisted')
    return c.more > 0
      ? `At ${clock(c.at)} Machine 1 had more TCP connections open than the host lists (${c.more} past its limit), so it cannot show that none of them carried a hand's restore while ssh was cut. Close them, then: ${AGAIN}`
      : `The host has no list of Machine 1's connections from ${c.when === 'cut' ? 'the cut' : 'the return'} (${clock(c.at)}), so it cannot show that no connection already open carried a hand's restore. ${AGAIN}`;
  const k = c.connection;
  const which = `Machine 1's connection between ${k.local} port ${k.localPort} and ${k.peer} port ${k.peerPort}`;
  const span = `while ssh was cut (${clock(l.cutAt)} to ${clock(l.backAt ?? 0)})`;
  if (c.kind === 'received')
    return `${which} received ${c.bytes === undefined ? 'data' : `${c.bytes} bytes`} from ${k.peer} ${span}, the last at ${clock(c.at)}: it was open before the cut and the cut left it alone, so a hand could have put the rules back through it. Close other connections to Machine 1 before the change, then leave Machine 1 alone until ssh is back. ${AGAIN}`;
  return `${which}, which the cut left open, closed ${span} (last seen at ${clock(c.seenAt)}): the host could not count what it carried before it closed, so a hand could have put the rules back through it. Close other connections to Machine 1 before the change, then leave Machine 1 alone until ssh is back. ${AGAIN}`;
}

/** Latches. The host sees when ssh was cut and when it came back, and that no hand could reach Machine 1 in between. */
export const safeguard: LabStep = {
  id: 'safeguard',
  ...stepText(new URL('./10-safeguard.md', import.meta.url)),
  latching: 'latch',
  // A connection open since before the cut is judged by Machine 1's byte counts at the cut and the return.
  connectionLists: ['machine1'],
  async check(ctx) {
    const a = addrs(ctx.view);
    if (!ctx.journal) return fail(NO_JOURNAL);
    const { found } = await lockouts(ctx.journal, { ...a, m1Others: [a.m1Office] });
    const ended = found.filter((l) => l.backAt !== undefined);
    const byItself = ended.filter((l) => byHand(l) === undefined).at(-1);
    if (!byItself) {
      const last = found.at(-1);
      if (last?.backAt === undefined && last)
        return fail(
          `Since ${clock(last.cutAt)} Machine 1 refuses ssh from Machine 2. If a safeguard is running, wait for its timeout; if none is, recover from Machine 1's console and try again with \`iptables-apply\`.`,
        );
      const lastEnded = ended.at(-1);
      if (lastEnded) return fail(byHand(lastEnded) ?? AGAIN);
      return fail(
        `The host has not seen ssh from Machine 2 cut and then restored on its own. From an ssh session on Machine 2, run \`iptables-apply -t 30 -c /root/cut-ssh\` (or start another timer first), then wait.`,
      );
    }
    const wrong = await sshBack(ctx);
    if (wrong) return wrong;
    return pass(
      `ssh was cut at ${clock(byItself.cutAt)} and came back at ${clock(byItself.backAt ?? 0)}, with no key typed at Machine 1's console and your open session cut too: the safeguard you set up before the change undid it.`,
    );
  },
  async solve(ctx) {
    await sshIn(ctx);
    await ctx.typeLine(
      'machine2',
      `printf '#!/bin/sh\\niptables -I ${CHAIN} -p tcp --dport 22 -j REJECT\\n' > /root/cut-ssh && chmod +x /root/cut-ssh`,
    );
    const since = ctx.mark('machine2');
    await ctx.typeLine('machine2', 'iptables-apply -t 20 -c /root/cut-ssh');
    await ctx.waitFor('machine2', /Can you establish NEW connections/, { since, timeoutMs: 30_000 });
    await ctx.typeLine('machine2', 'y');
    await ctx.waitFor('machine2', /Reverting to old iptables rules/, { since, timeoutMs: 120_000 });
    await sshOut(ctx);
  },
};
