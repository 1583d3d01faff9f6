import type { TerminalSize, TerminalStream } from '../../server/runtime/LabRuntime';

/**
 * A terminal on an in-memory machine: no shell behind it, only the line discipline's echo (what
 * is typed comes back, Enter as a new line), so what opens, writes, resizes and closes a
 * terminal can be tested without a machine.
 */
export function echoTerminal(initial: TerminalSize): TerminalStream & { size: TerminalSize } {
  const data = new Set<(chunk: Buffer) => void>();
  const exits = new Set<() => void>();
  let paused = false;
  let held: Buffer[] = [];
  let open = true;
  const send = (chunk: Buffer): void => {
    if (paused) held.push(chunk);
    else for (const listener of data) listener(chunk);
  };
  const terminal = {
    size: { ...initial },
    write(input: Buffer | string) {
      if (!open) return;
      // As a real terminal's, the echo arrives after the write returns.
      const echo = Buffer.from(input.toString().replaceAll('\r', '\r\n'));
      queueMicrotask(() => send(echo));
    },
    resize(size: TerminalSize) {
      terminal.size = { ...size };
      return Promise.resolve();
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      const pending = held;
      held = [];
      for (const chunk of pending) send(chunk);
    },
    onData(listener: (chunk: Buffer) => void) {
      data.add(listener);
      return () => data.delete(listener);
    },
    onExit(listener: () => void) {
      exits.add(listener);
      return () => exits.delete(listener);
    },
    close() {
      if (!open) return;
      open = false;
      for (const listener of exits) listener();
    },
  };
  return terminal;
}
