import { stepText } from '../../../labkit/content';
import { fail, pass, type LabStep } from '../../../labkit/types';

/** The names IANA gives the two IPsec protocols, with the long forms /etc/protocols prints beside them. */
const NAMES = { p50: /\besp\b|encap(sulating)? security payload/i, p51: /\bah\b|authentication header/i };

/** Latches: a look-up; nothing on the machines changes. */
export const ipsec: LabStep = {
  id: 'ipsec',
  ...stepText(new URL('./08-ipsec.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const p50 = (ctx.answers.p50 ?? '').trim();
    const p51 = (ctx.answers.p51 ?? '').trim();
    if (!p50 || !p51) return fail('Answer both questions below before checking.');
    if (NAMES.p51.test(p50) && NAMES.p50.test(p51))
      return fail('You swapped them: look at which number stands beside each name.');
    if (!NAMES.p50.test(p50)) return fail(`"${p50}" is not the name of protocol 50: read its line in /etc/protocols.`);
    if (!NAMES.p51.test(p51)) return fail(`"${p51}" is not the name of protocol 51: read its line in /etc/protocols.`);
    return pass('Right: 50 is ESP (Encapsulating Security Payload, encryption) and 51 is AH (Authentication Header).');
  },
  async solve(ctx) {
    await ctx.run('machine1', 'grep -w -e 50 -e 51 /etc/protocols');
    ctx.answer('p50', 'esp');
    ctx.answer('p51', 'ah');
  },
};
