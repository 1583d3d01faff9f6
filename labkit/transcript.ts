/**
 * Splits a raw terminal transcript into the commands the learner ran, using the shell-integration
 * markers (OSC 633 E/C/D) that only bash itself prints around each command. Text typed or echoed
 * by a program can look like a ping, but it cannot become a separate command run this way unless
 * it forges markers, and forged markers inside a running command are flagged.
 */
import { ShellIntegrationParser } from './shellIntegration';
import { plainText } from './plainText';

export interface CommandRun {
  /** The command line bash ran (from the E marker); undefined if the shell did not send one. */
  commandLine: string | undefined;
  /** Plain-text output between C and D. */
  output: string;
  /** Undefined while the command is still running or when bash did not report it. */
  exitCode: number | undefined;
  finished: boolean;
  /** Markers appeared inside this command's output: something printed them, not bash. */
  forgedMarkers: boolean;
  /**
   * Words of the command line that bash would not run as programs: shell functions or aliases
   * (e.g. `iptables() { :; }`). Undefined when the shell did not report it (older images).
   */
  shadowed: { kind: string; name: string }[] | undefined;
}

export function commandRuns(rawTranscript: string): CommandRun[] {
  const runs: CommandRun[] = [];
  const parser = new ShellIntegrationParser();
  let pendingLine: string | undefined;
  let pendingShadowed: CommandRun['shadowed'];
  let current: { run: CommandRun; chunks: Buffer[] } | undefined;
  const close = (exitCode: number | undefined, finished: boolean): void => {
    if (!current) return;
    current.run.output = plainText(Buffer.concat(current.chunks).toString('utf8'));
    current.run.exitCode = exitCode;
    current.run.finished = finished;
    runs.push(current.run);
    current = undefined;
  };
  parser.push(
    Buffer.from(rawTranscript, 'utf8'),
    (text) => current?.chunks.push(Buffer.from(text)),
    (mark) => {
      if (
        current &&
        (mark.type === 'command-line' ||
          mark.type === 'command-start' ||
          mark.type === 'prompt' ||
          mark.type === 'shadowed')
      ) {
        // bash prints A/E/C only between commands; inside output they come from a program.
        current.run.forgedMarkers = true;
        return;
      }
      if (mark.type === 'command-line') {
        pendingLine = mark.commandLine;
        pendingShadowed = undefined;
      } else if (mark.type === 'shadowed') pendingShadowed = mark.names;
      else if (mark.type === 'command-start') {
        current = {
          run: {
            commandLine: pendingLine,
            output: '',
            exitCode: undefined,
            finished: false,
            forgedMarkers: false,
            shadowed: pendingShadowed,
          },
          chunks: [],
        };
        pendingLine = undefined;
        pendingShadowed = undefined;
      } else if (mark.type === 'command-finished') close(mark.exitCode, true);
    },
  );
  close(undefined, false);
  return runs;
}

/** The shell function or alias standing in for `program` in this run, if any. */
export function shadowing(run: CommandRun, program: string): { kind: string; name: string } | undefined {
  return run.shadowed?.find((s) => s.name === program);
}

/** The first word of a command line after `sudo`, env assignments and a path, e.g. "ping". */
export function programOf(commandLine: string | undefined): string | undefined {
  const words = (commandLine ?? '').trim().split(/\s+/);
  while (words[0] !== undefined && (words[0] === 'sudo' || words[0] === 'exec' || /^[A-Za-z_]\w*=/.test(words[0])))
    words.shift();
  const first = words[0];
  return first ? first.slice(first.lastIndexOf('/') + 1) : undefined;
}
