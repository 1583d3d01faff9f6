import type { TerminalClient } from '../test/server/support/terminalClient';

/** Sends one key and resolves with the time until the next output frame (its echo) arrives. */
export function keystroke(client: TerminalClient, key: string, timeoutMs = 5000): Promise<number> {
  const before = client.bytes;
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.ws.off('message', onMessage);
      reject(new Error(`no echo within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (): void => {
      if (client.bytes === before) return;
      clearTimeout(timer);
      client.ws.off('message', onMessage);
      resolve(Number(process.hrtime.bigint() - start) / 1e6);
    };
    client.ws.on('message', onMessage);
    client.input(key);
  });
}

/** `count` keys at a typist's pace (a key every `gapMs`), alternating a letter and its erase so the line never grows. */
export async function typeKeys(
  client: TerminalClient,
  count: number,
  gapMs = 100,
  timeoutMs = 5000,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    samples.push(await keystroke(client, i % 2 === 0 ? 'x' : '\x7f', timeoutMs));
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return samples;
}
