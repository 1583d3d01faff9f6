import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectUnixNoFollow, UnsafeSocketError } from '../../../server/runtime/docker/connectUnixNoFollow';

// The socket's directory is writable by a root learner; these are the things they could put there.
describe('connecting to a shell socket a learner could tamper with', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-sock-'));
  const real = path.join(dir, 'real.sock');
  let server: net.Server;
  let connections = 0;

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections += 1;
      socket.end('hello');
    });
    await new Promise<void>((resolve) => server.listen(real, resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('connects to a real socket', async () => {
    const socket = await connectUnixNoFollow(real);
    const data = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
    expect(data).toBe('hello');
    socket.destroy();
  });

  it('refuses a symlink, even one pointing at a live socket, and never connects through it', async () => {
    const link = path.join(dir, 'shell.sock');
    symlinkSync(real, link);
    const before = connections;
    await expect(connectUnixNoFollow(link)).rejects.toBeInstanceOf(UnsafeSocketError);
    expect(connections).toBe(before);
  });

  it('refuses a regular file', async () => {
    const file = path.join(dir, 'file.sock');
    writeFileSync(file, 'not a socket');
    await expect(connectUnixNoFollow(file)).rejects.toBeInstanceOf(UnsafeSocketError);
  });

  it('reports a missing socket as ENOENT, so the caller can start a shell', async () => {
    await expect(connectUnixNoFollow(path.join(dir, 'missing.sock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
