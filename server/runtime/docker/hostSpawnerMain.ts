/**
 * The host spawner's process (see hostSpawner.ts): runs the server's host-side programs on request
 * (`nsenter` into a machine's namespace, a monitor's output streamed back as it comes, files
 * through a machine's root), so the server's own event loop neither blocks in fork/exec nor waits
 * a turn for each step of a file read. It dies with the server (its parent-death signal), and
 * everything it runs dies with it.
 */
import { errorMessage } from '../../log/errorMessage';
import { FileTooLarge, HostAccessUnavailable } from '../LabRuntime';
import { spawnInNetns } from './netnsExec';
import { readFileInRoot } from './readFileInRoot';
import type { SpawnReply, SpawnRequest } from './hostSpawnerProtocol';

const running = new Map<number, AbortController>();

function failed(id: number, error: unknown): SpawnReply {
  const message = errorMessage(error);
  if (error instanceof FileTooLarge)
    return { type: 'error', id, message, failure: 'too-large', limitBytes: error.limitBytes };
  return { type: 'error', id, message, failure: error instanceof HostAccessUnavailable ? 'unavailable' : 'other' };
}

process.on('message', (message: SpawnRequest) => {
  const reply = (r: SpawnReply): void => {
    running.delete(message.id);
    process.send?.(r);
  };
  switch (message.type) {
    case 'cancel':
      running.get(message.id)?.abort();
      return;
    case 'read':
      readFileInRoot(message.root, message.path).then(
        (file) => reply({ type: 'file', id: message.id, file }),
        (error: unknown) => reply(failed(message.id, error)),
      );
      return;
    case 'run': {
      const abort = new AbortController();
      running.set(message.id, abort);
      const { id, pid, command, timeoutMs, stdin, stream } = message;
      const onStdout = stream ? (chunk: Buffer) => process.send?.({ type: 'stdout', id, chunk }) : undefined;
      spawnInNetns(pid, command, { timeoutMs, stdin, signal: abort.signal, onStdout }).then(
        (result) => reply({ type: 'result', id: message.id, result }),
        (error: unknown) => reply(failed(message.id, error)),
      );
    }
  }
});
// The server went away without its parent-death signal reaching us (it should not): stop.
process.on('disconnect', () => process.exit(0));
