import type Docker from 'dockerode';
import { execInContainer } from './dockerExec';
import { SHELL_SOCKET } from './terminalVolume';

/**
 * Starts the machine's learner shell under a detached dtach master, unless one already answers.
 * Until the first terminal attaches, the program is a tiny waiter, not yet bash: dtach drops
 * output nobody is attached to, and bash does not repaint its prompt on SIGWINCH, so bash starts
 * only when the attach arrives. The attach shows as the SIGWINCH of dtach's redraw (trapped) or,
 * if it came before the trap was set, as the socket's x bit dtach sets while a client is attached.
 */
const START = [
  'dtach -p "$1" </dev/null 2>/dev/null && exit 0;',
  'rm -f "$1" && cd /root &&',
  'exec env TERM=xterm-256color HOME=/root HOSTNAME="$2" LANG=C.UTF-8',
  `dtach -n "$1" -E -z -r winch sh -c '${[
    'trap "kill \\$p 2>/dev/null; exec bash -l" WINCH;',
    'sleep 86400 & p=$!;',
    '[ -x "$0" ] && { kill $p; exec bash -l; };',
    'wait $p; exec bash -l',
  ].join(' ')}' "$1"`,
].join(' ');

export async function startShell(container: Docker.Container, hostname: string): Promise<void> {
  const started = await execInContainer(container, ['sh', '-c', START, 'sh', SHELL_SOCKET, hostname]);
  if (started.exitCode !== 0)
    throw new Error(`could not start the shell: ${(started.stderr || started.stdout).trim()}`);
}
