import { clock } from '../../../labkit/journalEvidence';
import { stepText } from '../../../labkit/content';
import { acceptsTcpFrom, parseRulesFile, rulesetEquivalent } from '../../../labkit/rules';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs, liveRules, RULES_FILE } from '../machine1';
import { NO_JOURNAL } from './09-locked-out';

export const PROP = '/usr/local/sbin/lab-prop-securitylevel';
/** A date in a file name: 2026-01-31, 20260131 or 2026_01_31. */
const DATED = /(19|20)\d\d[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])/;

/** Latches: the file came back once from the learner's own backup. */
export const overwritten: LabStep = {
  id: 'overwritten',
  ...stepText(new URL('./12-overwritten.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const path = (ctx.answers.backup ?? '').trim();
    if (!path) return fail('Give the path of your dated backup below before checking.');
    if (!path.startsWith('/'))
      return fail(`"${path}" is not a full path: it should start with /, e.g. /root/iptables-2026-01-31.`);
    if (!DATED.test(path.split('/').pop() ?? ''))
      return fail(
        `"${path}" has no date in its name. Name backups after the day you made them, e.g. with \`$(date +%F)\`.`,
      );
    const backupFile = await ctx.readFile('machine1', path);
    if (!backupFile) return fail(`There is no file ${path} on Machine 1. \`ls -l /root\` shows what you have.`);
    const backup = parseRulesFile(backupFile.data.toString('utf8'));
    if (/lab-prop-securitylevel/.test(backupFile.data.toString('utf8')) || !backup.ok)
      return fail(
        `${path} is not a copy of your own rules (it was written after the tool, or would not load). Make backups before a tool runs.`,
      );
    if (!acceptsTcpFrom(backup, a.pc, a.port, { inInterface: 'eth1' }) || acceptsTcpFrom(backup, a.m2, a.port))
      return fail(
        `${path} does not hold your rules: in it the agent on port ${a.port} is not limited to the office as you saved it earlier.`,
      );
    if (!ctx.journal) return fail(NO_JOURNAL);
    const files = (await ctx.journal.events('file')).filter((f) => f.machineId === 'machine1' && f.path === RULES_FILE);
    const removed = files.find((f) => f.hash === undefined);
    if (!removed)
      return fail(
        `The host has not seen \`${RULES_FILE}\` removed yet: run \`lab-prop-securitylevel --disabled\` on Machine 1, then restore your backup.`,
      );
    const file = await ctx.readFile('machine1', RULES_FILE);
    if (!file)
      return fail(
        `\`${RULES_FILE}\` is still missing, since ${clock(removed.at)}: copy ${path} back to it and run \`service iptables restart\`.`,
      );
    const saved = rulesetEquivalent(backup, file.data.toString('utf8'));
    if (!saved.equal)
      return fail(
        `\`${RULES_FILE}\` is not your backup's rules (${saved.differences[0] ?? 'it differs'}). Copy ${path} back over it.`,
      );
    const running = rulesetEquivalent(backup, await liveRules(ctx), { ignoreLoadErrors: true });
    if (!running.equal)
      return fail(
        `The file is back, but Machine 1 is not running it (${running.differences[0] ?? 'the rules differ'}): run \`service iptables restart\`.`,
      );
    return pass(
      `The tool removed \`${RULES_FILE}\` at ${clock(removed.at)}; it now holds the rules of ${path} again, and Machine 1 runs them.`,
    );
  },
  async solve(ctx) {
    const backup = `/root/iptables-${new Date().toISOString().slice(0, 10)}`;
    await ctx.run('machine1', `cp -p ${RULES_FILE} ${backup}`);
    await ctx.run('machine1', 'lab-prop-securitylevel --enabled --port=80:tcp');
    await ctx.run('machine1', 'lab-prop-securitylevel --disabled');
    await ctx.run('machine1', `cp -p ${backup} ${RULES_FILE}`);
    await ctx.run('machine1', 'service iptables restart');
    ctx.answer('backup', backup);
  },
};
