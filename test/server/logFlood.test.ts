import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runServerUntilListening, type ServerProcess } from '../support/serverProcess';
import { testNamespace } from '../support/testNamespace';

/** One malformed WebSocket upgrade (no Sec-WebSocket-Key) on a terminal path. */
function badUpgrade(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        'GET /ws/sessions/0123456789abcdef0123/terminals/machine1 HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
          'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    socket.on('data', () => socket.destroy());
    socket.on('close', () => {
      resolve();
    });
    socket.on('error', () => {
      resolve();
    });
  });
}

describe('the server log under a flood of bad handshakes', () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  it('stays a few timestamped JSON lines, not one per handshake', async () => {
    server = await runServerUntilListening({ LAB_INSTANCE: testNamespace('tflood'), LAB_WARM_POOL: '0' });
    const port = Number(new URL(server.url).port);
    const before = server.output().length;
    const started = Date.now();
    for (let round = 0; round < 20; round++) await Promise.all(Array.from({ length: 25 }, () => badUpgrade(port)));
    // The log lets five of a kind through per 10 s window, then says how many it left out: a
    // flood a loaded host spreads over several windows (or one straddling two) gets six a window.
    const windows = Math.ceil((Date.now() - started) / 10_000) + 1;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const lines = server
      .output()
      .slice(before)
      .split('\n')
      .filter((line) => line.includes('handshake'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(6 * windows);
    for (const line of lines) {
      const entry = JSON.parse(line) as { level: number; time: string; msg: string };
      expect(entry.level).toBe(40);
      expect(Date.parse(entry.time)).not.toBeNaN();
    }
  });
});
