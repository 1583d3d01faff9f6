/** The iptables commands a learner ran successfully in Machine 1's terminal, in order. */
import { parseRuleCommand, type RuleCommand } from '../../labkit/rules';
import { commandRuns, programOf, type CommandRun } from '../../labkit/transcript';
import type { CheckContext } from '../../labkit/types';

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

/** `service iptables <action>` or `/etc/init.d/iptables <action>`, also inside `a && b` or `a; b`. */
export function isServiceCommand(commandLine: string | undefined, actions: readonly string[]): boolean {
  return (commandLine ?? '').split(/&&|\|\||;|\|/).some((part) => {
    const words = part.trim().split(/\s+/);
    while (words[0] === 'sudo') words.shift();
    const [first, second, third] = words;
    if (first === 'service' || first?.endsWith('/service'))
      return second === 'iptables' && actions.includes(third ?? '');
    return first?.endsWith('/init.d/iptables') === true && actions.includes(second ?? '');
  });
}
