import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostSpawner } from '../../../server/runtime/docker/hostSpawner';
import { FileTooLarge } from '../../../server/runtime/LabRuntime';
import { until } from '../../support/until';

const spawner = new HostSpawner();
afterAll(() => spawner.close());

describe('host reads spawned by the helper process, off the server event loop', () => {
  it("answers with the program's output and exit code, as a direct spawn would", async () => {
    const result = await spawner.run(process.pid, ['sh', '-c', 'cat; echo to-stderr >&2; exit 3'], { stdin: 'hello' });
    expect(result).toEqual({ stdout: 'hello', stderr: 'to-stderr\n', exitCode: 3, timedOut: false });
  });

  it('runs many reads at once, each answered with its own output', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => spawner.run(process.pid, ['echo', `n${i}`])),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
  });

  it('stops a program when its caller aborts, and still answers', async () => {
    const abort = new AbortController();
    const running = spawner.run(process.pid, ['sleep', '30'], { signal: abort.signal, timeoutMs: 60_000 });
    setTimeout(() => abort.abort(), 200);
    const started = Date.now();
    const result = await running;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.exitCode).not.toBe(0);
  });

  it("streams a monitor's output to its caller as it comes, and stops the monitor when the caller aborts", async () => {
    const abort = new AbortController();
    let streamed = '';
    const running = spawner.run(process.pid, ['sh', '-c', 'echo one; sleep 0.2; echo two; exec sleep 600'], {
      onStdout: (chunk) => (streamed += chunk.toString()),
      signal: abort.signal,
      timeoutMs: 900_000,
    });
    // Generous: a loaded host may take long to start the program.
    await until(() => streamed.includes('two') || undefined, 60_000);
    abort.abort();
    const result = await running;
    expect(streamed).toBe('one\ntwo\n');
    // Streamed output goes to the caller only, never into the result as well.
    expect(result.stdout).toBe('');
    expect(result.timedOut).toBe(false);
  }, 90_000);

  it('gives up on a program past its time limit', async () => {
    const result = await spawner.run(process.pid, ['sleep', '30'], { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
  });
});

describe('files read through a root by the helper process', () => {
  it('reads a regular file with its mode, and says when there is none', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-spawner-'));
    writeFileSync(path.join(dir, 'rules'), 'exact bytes\n', { mode: 0o600 });
    const file = await spawner.readFile(dir, '/rules');
    expect(file?.data.toString()).toBe('exact bytes\n');
    expect(file?.mode).toBe(0o600);
    expect(await spawner.readFile(dir, '/missing')).toBeUndefined();
  });

  it('refuses a symlink planted on the path, as a read in the server does', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-spawner-'));
    symlinkSync('/etc/hostname', path.join(dir, 'planted'));
    expect(await spawner.readFile(dir, '/planted')).toBeUndefined();
  });

  it('refuses a file over the size limit with the same error', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-spawner-'));
    writeFileSync(path.join(dir, 'big'), Buffer.alloc(2 * 1024 * 1024));
    await expect(spawner.readFile(dir, '/big')).rejects.toBeInstanceOf(FileTooLarge);
  });
});
