import express from 'express';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app/createApp';
import { silentLog } from '../../../server/log/Log';

const BROWSER = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('an address that is no page', () => {
  let server: Server;
  let base = '';

  beforeAll(async () => {
    const webRoot = mkdtempSync(path.join(os.tmpdir(), 'ipl-web-'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>landing</title>');
    const app = createApp({ webRoot, log: silentLog, routes: { api: express.Router(), pages: express.Router() } });
    server = app.listen(0, '127.0.0.1');
    await new Promise((ready) => server.once('listening', ready));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  it('shows a browser a page that says so, in words, with a way back to the labs', async () => {
    const res = await fetch(`${base}/clases/ABCD2345`, { headers: BROWSER });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<title>Page not found[^<]*<\/title>/);
    expect(html).toContain('<h1>Page not found</h1>');
    expect(html).toContain('<a href="/">');
  });

  it('answers a script with the usual JSON error', async () => {
    const res = await fetch(`${base}/clases/ABCD2345`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Page not found' } });
  });

  it('keeps the API in JSON, whatever the client accepts', async () => {
    const res = await fetch(`${base}/api/no-such-route`, { headers: BROWSER });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such API route' } });
  });

  it('still serves the pages that exist', async () => {
    const res = await fetch(`${base}/`, { headers: BROWSER });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>landing</title>');
  });
});
