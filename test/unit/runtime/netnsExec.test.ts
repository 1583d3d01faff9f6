import { describe, expect, it } from 'vitest';
import { runInNetns } from '../../../server/runtime/docker/netnsExec';

describe('a host helper in a machine namespace', () => {
  it('never starts when it was stopped before it could (say, while the machine PID was looked up)', async () => {
    const abort = new AbortController();
    abort.abort();
    const started = Date.now();
    // Were it started, `sleep 30` would keep the promise open for 30 s.
    const result = await runInNetns(process.pid, ['sleep', '30'], { signal: abort.signal });
    expect(result).toMatchObject({ exitCode: 130, stdout: '' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
