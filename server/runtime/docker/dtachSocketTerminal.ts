import type net from 'node:net';
import type { TerminalSize, TerminalStream } from '../LabRuntime';
import { attachPackets, pushPackets, winchPacket } from './dtachProtocol';
import { StreamEnd } from './streamEnd';

/**
 * Input the shell has not taken yet. A shell that stops reading (a learner's `sleep 1000`
 * under a paste) must not grow the server's memory; past this, keystrokes are dropped,
 * as a real terminal's full input queue would.
 */
const MAX_PENDING_INPUT_BYTES = 1024 * 1024;

/**
 * A terminal spoken directly to the machine's dtach master over its unix socket: output is
 * the raw pty stream, no docker exec or dockerd copy in between. Writes go out one at a time
 * so each stays whole (see PACKETS_PER_WRITE).
 */
export function dtachSocketTerminal(socket: net.Socket, size: TerminalSize): TerminalStream {
  const queue: Buffer[] = [];
  let queuedBytes = 0;
  let writing = false;
  const end = new StreamEnd(socket);

  const pump = (): void => {
    if (writing || end.hasEnded) return;
    const next = queue.shift();
    if (!next) return;
    queuedBytes -= next.length;
    writing = true;
    socket.write(next, () => {
      writing = false;
      pump();
    });
  };
  const send = (packets: Buffer[], droppable: boolean): void => {
    if (end.hasEnded) return;
    const bytes = packets.reduce((sum, p) => sum + p.length, 0);
    if (droppable && queuedBytes + bytes > MAX_PENDING_INPUT_BYTES) return;
    queue.push(...packets);
    queuedBytes += bytes;
    pump();
  };

  send([attachPackets(size)], false);

  return {
    write(data) {
      send(pushPackets(typeof data === 'string' ? Buffer.from(data) : data), true);
    },
    async resize(next) {
      send([winchPacket(next)], false);
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    onData(listener) {
      socket.on('data', listener);
      return () => socket.off('data', listener);
    },
    onExit: (listener) => end.listen(listener),
    close() {
      if (end.hasEnded) return;
      // Hang up the shell like a closed terminal would; pending input no longer matters.
      queue.length = 0;
      socket.end(Buffer.concat(pushPackets(Buffer.from('\x04'))));
      setTimeout(() => socket.destroy(), 1000).unref();
      end.fire();
    },
  };
}
