/** The iptables commands a learner ran successfully in Machine 1's terminal, in order. */
import { parseRuleCommand, type RuleCommand } from '../../server/grading/rules';
import { commandRuns, programOf, type CommandRun } from '../../server/grading/transcript';
import type { CheckContext } from '../types';

export interface TypedCommand {
  /** Position in the terminal's command history. */
  order: number;
  run: CommandRun;
}

export function machine1Runs(ctx: CheckContext): TypedCommand[] {
  return commandRuns(ctx.terminals.transcript('machine1'))
    .filter((run) => !run.forgedMarkers)
    .map((run, order) => ({ order, run }));
}

export function iptablesCommands(runs: readonly TypedCommand[]): (TypedCommand & { cmd: RuleCommand })[] {
  return runs
    .filter((t) => t.run.exitCode === 0 && programOf(t.run.commandLine) === 'iptables')
    .map((t) => ({ ...t, cmd: parseRuleCommand(t.run.commandLine ?? '') }))
    .filter((t) => t.cmd.ok);
}

/** `service iptables <action>` or `/etc/init.d/iptables <action>`. */
export function isServiceCommand(commandLine: string | undefined, actions: readonly string[]): boolean {
  const words = (commandLine ?? '').trim().split(/\s+/);
  const program = programOf(commandLine);
  const rest = words.slice(words.findIndex((w) => w.endsWith('service') || w.endsWith('/iptables')) + 1);
  if (program === 'service') return rest[0] === 'iptables' && actions.includes(rest[1] ?? '');
  if (program === 'iptables' && (words[0] ?? '').includes('/init.d/')) return actions.includes(rest[0] ?? '');
  return false;
}
