import { stepText } from '../../../labkit/content';
import { parseRulesFile, rulesetEquivalent } from '../../../labkit/rules';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { liveRules, readFile, restoreTest, RULES_FILE, runningChain } from '../machines';
import { shadowing } from '../../../labkit/transcript';
import { failedLoadFromJournal } from '../journalCommit';
import { commandParts, isServiceCommand, isServicePart, machine1Runs, type TypedCommand } from '../ruleCommands';

const RESTART = '`service iptables restart` (or `/etc/init.d/iptables restart`)';

/**
 * A restart that really failed: the service command is the last simple command of its line (so
 * the line's exit status is its own), that status is not 0, and `service` was the program, not
 * a shell function. `service iptables restart && echo '[FAILED]'` prints the word but exits 0.
 */
function failedRestart(t: TypedCommand): boolean {
  const parts = commandParts(t.run.commandLine);
  const last = parts[parts.length - 1] ?? '';
  return (
    t.run.finished &&
    isServicePart(last, ['restart', 'start']) &&
    t.run.exitCode !== undefined &&
    t.run.exitCode !== 0 &&
    !shadowing(t.run, 'service') &&
    /Applying iptables firewall rules:[\s\S]*FAILED/.test(t.run.output)
  );
}

/** Latches: the failed restart is an observation in the terminal history. */
export const commit: LabStep = {
  id: 'commit',
  ...stepText(new URL('./11-commit.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const runs = machine1Runs(ctx);
    const failed = runs.find(failedRestart);
    if (!failed) {
      const restarts = runs.filter((t) => isServiceCommand(t.run.commandLine, ['restart', 'start']) && t.run.finished);
      const shadowed = restarts.find((t) => shadowing(t.run, 'service'));
      if (shadowed)
        return fail(
          "In Machine 1's terminal `service` is a shell function or alias, not the real command. Remove it with `unset -f service` and restart again.",
        );
      const printedOnly = restarts.find((t) => /FAILED/.test(t.run.output));
      if (printedOnly) {
        return fail(
          `Your line \`${printedOnly.run.commandLine ?? ''}\` printed FAILED, but the restart itself ${printedOnly.run.exitCode === 0 ? 'succeeded (exit status 0)' : 'was not the command that failed'}. ` +
            `Remove the COMMIT line, then run ${RESTART} on a line of its own and read what it says.`,
        );
      }
      return fail(
        `Machine 1's terminal shows no failed restart yet. Remove the COMMIT line, then run ${RESTART} there to see the failure.`,
      );
    }
    // The terminal only points at the moment; with a journal, the host's view of it decides.
    const observed = ctx.journal ? await failedLoadFromJournal(ctx.journal) : undefined;
    if (observed && !observed.passed) return fail(observed.message);
    const file = await readFile(ctx, 'machine1', RULES_FILE);
    const model = parseRulesFile(file.text);
    const missingCommit = model.problems.find((p) => p.code === 'missing-commit');
    if (missingCommit)
      return fail(`\`${RULES_FILE}\` still has no COMMIT (${missingCommit.message}). Add \`COMMIT\` as its last line.`);
    const test = await restoreTest(ctx, RULES_FILE);
    if (!test.ok) return fail(`\`${RULES_FILE}\` still does not load: ${test.error}`);
    const live = await liveRules(ctx);
    if (!runningChain(live))
      return fail(
        `The file is fixed, but Machine 1 still has no firewall since the failed restart. Run ${RESTART} again.`,
      );
    const same = rulesetEquivalent(model, live, { ignorePolicies: true });
    if (!same.equal)
      return fail(
        `The running rules differ from the file (${same.differences[0] ?? ''}). Restart iptables so that they match.`,
      );
    return pass(
      `${observed?.passed ? `${observed.message} ` : 'You saw the restart fail without COMMIT. '}The fixed file now loads cleanly and is running.`,
    );
  },
  async solve(ctx) {
    await ctx.run('machine1', `cp -a ${RULES_FILE} /root/iptables-before-commit-test`);
    await ctx.run('machine1', `sed -i '/^COMMIT/d' ${RULES_FILE}`);
    await ctx.run('machine1', 'service iptables restart');
    // A learner reads the failure before fixing the file.
    await ctx.run('machine1', 'sleep 2');
    await ctx.run('machine1', `echo COMMIT >> ${RULES_FILE}`);
    await ctx.run('machine1', 'service iptables restart');
  },
};
