import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { TerminalSize, TerminalStream } from '../LabRuntime';
import { StreamEnd } from './streamEnd';

/**
 * The machine's one learner shell runs under dtach, so it outlives the `docker exec` that shows
 * it: a server restarted after a crash re-attaches to the same bash (same $$, cwd and jobs).
 * -E: no detach key; -z: no suspend key; -r winch: redraw on attach. Images without dtach get a plain shell.
 */
const SHELL = 'command -v dtach >/dev/null 2>&1 && exec dtach -A "$0" -E -z -r winch bash -l; exec bash -l';

/**
 * An interactive root login shell inside a container, over a hijacked `docker exec` TTY.
 * The slower path (dockerd copies every byte twice): used when the server cannot reach the
 * machine's shell socket directly.
 */
export async function openExecTerminal(
  container: Docker.Container,
  hostname: string,
  size: TerminalSize,
  shellSocket: string,
): Promise<TerminalStream> {
  const exec = await container.exec({
    Cmd: ['sh', '-c', SHELL, shellSocket],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    WorkingDir: '/root',
    Env: ['TERM=xterm-256color', 'HOME=/root', `HOSTNAME=${hostname}`, 'LANG=C.UTF-8'],
  });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
  // Keystrokes must not wait for Nagle; the bridge batches output itself.
  const socket = stream as Duplex & { setNoDelay?: (noDelay: boolean) => void };
  socket.setNoDelay?.(true);

  const resize = async ({ cols, rows }: TerminalSize): Promise<void> => {
    await exec.resize({ w: cols, h: rows });
  };
  await resize(size).catch(() => undefined);

  const end = new StreamEnd(stream);
  return {
    write(data) {
      if (!end.hasEnded) stream.write(data);
    },
    resize,
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    onData(listener) {
      stream.on('data', listener);
      return () => stream.off('data', listener);
    },
    onExit: (listener) => end.listen(listener),
    close() {
      // Hang up the shell like a closed terminal would, then drop the connection.
      if (!end.hasEnded) stream.write('\x04');
      stream.destroy();
      end.fire();
    },
  };
}
