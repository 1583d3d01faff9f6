import { afterAll, describe, expect, it } from 'vitest';
import { HostSpawner } from '../../../server/runtime/docker/hostSpawner';

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

  it('gives up on a program past its time limit', async () => {
    const result = await spawner.run(process.pid, ['sleep', '30'], { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
  });
});
