/**
 * The host spawner's process (see hostSpawner.ts): runs the server's short host-side reads
 * (`nsenter` into a machine's namespace) on request, so the server's own event loop never
 * blocks in fork/exec. It dies with the server (its parent-death signal), and everything it
 * runs dies with it.
 */
import { HostAccessUnavailable, type ExecResult } from '../LabRuntime';
import { spawnInNetns } from './netnsExec';
import type { SpawnReply, SpawnRequest } from './hostSpawnerProtocol';

const running = new Map<number, AbortController>();

process.on('message', (message: SpawnRequest) => {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  const abort = new AbortController();
  running.set(message.id, abort);
  const reply = (r: SpawnReply): void => {
    running.delete(message.id);
    process.send?.(r);
  };
  spawnInNetns(message.pid, message.command, {
    timeoutMs: message.timeoutMs,
    stdin: message.stdin,
    signal: abort.signal,
  }).then(
    (result: ExecResult) => reply({ type: 'result', id: message.id, result }),
    (error: unknown) =>
      reply({
        type: 'error',
        id: message.id,
        unavailable: error instanceof HostAccessUnavailable,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
// The server went away without its parent-death signal reaching us (it should not): stop.
process.on('disconnect', () => process.exit(0));
