/**
 * Stands in for `dockerd` in the start/stop test, which must not stop the host's real engine:
 * it serves the Docker API on DOCKER_HOST's socket by passing every connection through to the
 * real engine (REAL_DOCKER_SOCKET), and, like dockerd (a Go program that listens for SIGINT even
 * when started with it ignored), it stops on SIGINT. If the terminal's Ctrl+C reaches it, the
 * API it serves is gone. It notes its pid and every signal it receives in STAND_IN_STATE.
 */
import { appendFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';

const socket = (process.env.DOCKER_HOST ?? '').replace(/^unix:\/\//, '');
const real = process.env.REAL_DOCKER_SOCKET ?? '/var/run/docker.sock';
const state = process.env.STAND_IN_STATE ?? '';
if (!socket || !state) {
  console.error('dockerd stand-in: DOCKER_HOST=unix://... and STAND_IN_STATE are required');
  process.exit(2);
}
const note = (line: string): void => appendFileSync(state, `${line}\n`);

rmSync(socket, { force: true });
const server = createServer((client) => {
  const engine = connect(real);
  client.pipe(engine).pipe(client);
  client.on('error', () => engine.destroy());
  engine.on('error', () => client.destroy());
});
server.listen(socket, () => note(`pid ${process.pid}`));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    note(`signal ${signal}`);
    server.close();
    rmSync(socket, { force: true });
    process.exit(0);
  });
}
