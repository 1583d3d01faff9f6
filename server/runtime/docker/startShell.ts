import type Docker from 'dockerode';
import { execInContainer } from './dockerExec';
import { SHELL_SOCKET } from './terminalVolume';

/**
 * What the login shell runs before its first prompt: it waits for the first terminal to attach,
 * then removes itself, leaving PROMPT_COMMAND and the environment as the images set them. dtach
 * drops output nobody is attached to and bash does not repaint its prompt on SIGWINCH, so the
 * prompt must not be printed before the attach. The attach shows as the SIGWINCH of dtach's
 * redraw (trapped) or, if it came before the trap was set, as the socket's x bit dtach sets
 * while a client is attached. `set +m`: no job notice for the waiter.
 */
const HOLD = [
  'set +m; sleep 86400 & __lab_w=$!;',
  'trap "kill $__lab_w 2>/dev/null" WINCH;',
  `[ -x ${SHELL_SOCKET} ] || wait $__lab_w 2>/dev/null;`,
  'trap - WINCH; kill $__lab_w 2>/dev/null; wait $__lab_w 2>/dev/null; set -m;',
  'PROMPT_COMMAND=${PROMPT_COMMAND%"; eval \\"\\$__lab_hold\\""};',
  'PROMPT_COMMAND=${PROMPT_COMMAND%"eval \\"\\$__lab_hold\\""};',
  'export -n PROMPT_COMMAND; unset __lab_hold __lab_w',
].join(' ');

/**
 * Starts the machine's learner shell under a detached dtach master, unless one already answers.
 * The login shell starts at once (profile, bash-completion), before any learner has the lab, and
 * holds its first prompt until a terminal attaches (HOLD): a warm lab's terminal then only has to
 * connect. Nothing of a learner is in its environment (their parameters go into files by the
 * lab's setup), so the same shell serves whoever claims the lab.
 */
const START = [
  'dtach -p "$1" </dev/null 2>/dev/null && exit 0;',
  'rm -f "$1" && cd /root &&',
  'exec env TERM=xterm-256color HOME=/root HOSTNAME="$2" LANG=C.UTF-8',
  `__lab_hold="$3" PROMPT_COMMAND='eval "$__lab_hold"'`,
  'dtach -n "$1" -E -z -r winch bash -l',
].join(' ');

export async function startShell(container: Docker.Container, hostname: string): Promise<void> {
  const started = await execInContainer(container, ['sh', '-c', START, 'sh', SHELL_SOCKET, hostname, HOLD]);
  if (started.exitCode !== 0)
    throw new Error(`could not start the shell: ${(started.stderr || started.stdout).trim()}`);
}
