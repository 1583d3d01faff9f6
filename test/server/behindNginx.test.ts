import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassroomFixture } from './support/classroomFixture';
import {
  cookieOf,
  echoThroughProxy,
  freePort,
  outsideAddress,
  proxyDir,
  startProxy,
  type RunningProxy,
} from './support/reverseProxy';
import { TerminalClient } from './support/terminalClient';

const json = { 'content-type': 'application/json' };
/** nginx's usual WebSocket proxying; `host` is the Host it passes on (nginx's default: its upstream's address). */
const location = (upstream: string, host?: string): string => `
    location / {
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;${host ? `\n      proxy_set_header Host ${host};` : ''}
    }`;

/**
 * A real nginx (Debian's package) in front of the server with TRUST_PROXY=loopback: once with
 * its default Host (the upstream's address, so Origin can never match it), once passing the
 * browser's Host on, as the README advises.
 */
describe('behind a reverse proxy (nginx)', () => {
  let classroom: ClassroomFixture;
  let nginx: RunningProxy;
  const logs: string[] = [];
  let rewriting: string;
  let passing: string;
  let joinCode: string;
  let terminalUrl = '';

  beforeAll(async () => {
    classroom = await ClassroomFixture.start(
      { TRUST_PROXY: 'loopback', GUEST_ACCESS: 'off' },
      { log: (m) => logs.push(m) },
    );
    const [p1, p2] = [await freePort(), await freePort()];
    const dir = proxyDir('nginx');
    const upstream = new URL(classroom.url).host;
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((t) => `${t}_temp_path ${dir}/${t};`)
      .join(' ');
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `worker_processes 1;\nerror_log ${dir}/error.log;\npid ${dir}/nginx.pid;\nevents {}\nhttp {\n  access_log off;\n  ${temp}\n` +
        `  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n` +
        `  server {\n    listen ${p1};${location(upstream)}\n  }\n` +
        `  server {\n    listen ${p2};${location(upstream, '$http_host')}\n  }\n}\n`,
    );
    rewriting = `http://${outsideAddress()}:${p1}`;
    passing = `http://${outsideAddress()}:${p2}`;
    nginx = await startProxy(dir, 'nginx', ['-p', dir, '-c', conf, '-g', 'daemon off;'], `${rewriting}/healthz`);
    joinCode = (await classroom.createClass('Proxied class')).class.joinCode;
  });
  afterAll(async () => {
    nginx.stop();
    await classroom.close();
  });

  const join = async (base: string, name: string, headers: Record<string, string>) =>
    fetch(`${base}/api/join`, {
      method: 'POST',
      headers: { ...json, origin: base, ...headers },
      body: JSON.stringify({ code: joinCode, displayName: name }),
    });

  it('lets a browser’s own page in though nginx rewrites Host: its Sec-Fetch-Site vouches for it, terminal included', async () => {
    const browser = { 'sec-fetch-site': 'same-origin' };
    const joined = await join(rewriting, 'Nina', browser);
    expect(joined.status).toBe(201);
    terminalUrl = await echoThroughProxy(rewriting, cookieOf(joined), 'through-nginx', browser);
  });

  it('refuses another site’s page, and a browser that does not vouch, naming the fix in the log', async () => {
    const evil = await join(rewriting, 'Eve', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(evil.status).toBe(403);
    const sameSite = await join(rewriting, 'Sam', { 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
    const silent = await join(rewriting, 'Old', {});
    expect(silent.status).toBe(403);
    expect(logs.join('\n')).toMatch(/the proxy rewrites Host\. Pass it on \(nginx: `proxy_set_header Host \$host;`\)/);
    const ws = TerminalClient.connect(`${rewriting.replace('http', 'ws')}${terminalUrl}`, {
      origin: 'http://evil.example',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    ws.opened.catch(() => undefined);
    const refused = await new Promise<number>((resolve) =>
      ws.ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(refused).toBe(403);
  });

  it('needs no vouching when nginx passes Host on, as the README advises', async () => {
    expect((await join(passing, 'Pat', {})).status).toBe(201);
    expect((await join(passing, 'Eve', { origin: 'http://evil.example' })).status).toBe(403);
  });
});
