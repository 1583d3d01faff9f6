import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlatformsRepo } from '../../server/lti/PlatformsRepo';
import { Store } from '../../server/store/Store';

const root = path.resolve(import.meta.dirname, '../..');
const lti = (dataDir: string, args: string[]): string =>
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/lti.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('npm run lti: registering an LMS from the server', () => {
  it('adds, updates (same issuer and client id), lists and removes a platform in the server database', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipl-lti-cli-'));
    const add = (deployments: string[]): string =>
      lti(dataDir, [
        'add',
        ...['--name', 'Moodle', '--issuer', 'https://moodle.example.org', '--client-id', 'AbC123'],
        ...['--auth-url', 'https://moodle.example.org/mod/lti/auth.php'],
        ...['--token-url', 'https://moodle.example.org/mod/lti/token.php'],
        ...['--jwks-url', 'https://moodle.example.org/mod/lti/certs.php'],
        ...deployments.flatMap((d) => ['--deployment', d]),
      ]);
    expect(add(['1'])).toMatch(/^registered Moodle/);
    add(['1', '2']);
    const store = Store.open(path.join(dataDir, 'iptables-lab.db'));
    const [platform, ...others] = new PlatformsRepo(store.db).list();
    store.close();
    expect(others).toHaveLength(0);
    expect(platform).toMatchObject({
      issuer: 'https://moodle.example.org',
      clientId: 'AbC123',
      deploymentIds: ['1', '2'],
    });
    expect(lti(dataDir, ['list'])).toContain('deployments=1,2');
    expect(() => lti(dataDir, ['add', '--name', 'x', '--auth-url', 'javascript:alert(1)'])).toThrow(/Check issuer/);
    expect(lti(dataDir, ['remove', platform?.id ?? ''])).toMatch(/^removed/);
    expect(lti(dataDir, ['list'])).toBe('');
  });
});
