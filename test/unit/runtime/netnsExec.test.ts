import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnInNetns } from '../../../server/runtime/docker/netnsExec';

describe('a host helper in a machine namespace', () => {
  it('never starts when it was stopped before it could (say, while the machine PID was looked up)', async () => {
    const abort = new AbortController();
    abort.abort();
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'ipl-netns-')), 'started');
    const result = await spawnInNetns(process.pid, ['touch', marker], { signal: abort.signal });
    expect(result).toMatchObject({ exitCode: 130, stdout: '' });
    expect(existsSync(marker)).toBe(false);
  });
});
