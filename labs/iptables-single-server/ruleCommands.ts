/** The iptables commands a learner ran successfully in Machine 1's terminal, in order. */
import { parseRuleCommand, type RuleCommand } from '../../labkit/rules';
import { commandRuns, programOf, shadowing, type CommandRun } from '../../labkit/transcript';
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

/** The runs that used a shell function or alias named `program` instead of the program. */
export function shadowedRuns(runs: readonly TypedCommand[], program: string): TypedCommand[] {
  return runs.filter((t) => shadowing(t.run, program) !== undefined && (t.run.commandLine ?? '').includes(program));
}

/** What to tell a learner whose `program` is a shell function or alias. */
export const shadowedMessage = (program: string, where: string): string =>
  `In ${where}'s terminal, \`${program}\` is a shell function or alias, so your \`${program}\` commands did not run the real ${program}. ` +
  `Remove it with \`unset -f ${program}\` (or \`unalias ${program}\`) and type them again.`;

/** Successful iptables commands, run by the real program (not a shell function or alias named iptables). */
export function iptablesCommands(runs: readonly TypedCommand[]): (TypedCommand & { cmd: RuleCommand })[] {
  return runs
    .filter((t) => t.run.exitCode === 0 && programOf(t.run.commandLine) === 'iptables' && !shadowing(t.run, 'iptables'))
    .map((t) => ({ ...t, cmd: parseRuleCommand(t.run.commandLine ?? '') }))
    .filter((t) => t.cmd.ok);
}

/** The simple commands of a line: `a && b; c | d` -> ["a", "b", "c", "d"]. */
export const commandParts = (commandLine: string | undefined): string[] =>
  (commandLine ?? '')
    .split(/&&|\|\||;|\|/)
    .map((p) => p.trim())
    .filter(Boolean);

/** `service iptables <action>` or `/etc/init.d/iptables <action>` as one simple command. */
export function isServicePart(part: string, actions: readonly string[]): boolean {
  const words = part.trim().split(/\s+/);
  while (words[0] === 'sudo') words.shift();
  const [first, second, third] = words;
  if (first === 'service' || first?.endsWith('/service')) return second === 'iptables' && actions.includes(third ?? '');
  return first?.endsWith('/init.d/iptables') === true && actions.includes(second ?? '');
}

/** `service iptables <action>` or `/etc/init.d/iptables <action>`, also inside `a && b` or `a; b`. */
export function isServiceCommand(commandLine: string | undefined, actions: readonly string[]): boolean {
  return commandParts(commandLine).some((part) => isServicePart(part, actions));
}
