import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testNamespace } from '../test/support/testNamespace';

// Chosen once in the runner process; workers inherit the environment, so they agree on the port.
process.env.E2E_PORT ??= String(18_000 + (process.pid % 1000));
process.env.E2E_INSTANCE ??= testNamespace('e2e');
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'ipl-e2e-'));
const port = process.env.E2E_PORT;

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The real server (its own LAB_INSTANCE, so it never touches other labs) and Debian's Chromium. */
export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  outputDir: '../test-results/e2e',
  // Two specs at a time on two cores, often beside other work: a generous budget per test.
  timeout: 240_000,
  expect: { timeout: 30_000 },
  // Two spec files at a time, each file's tests in order: most of a spec's time is spent waiting
  // on labs, checks and timers. Every spec signs in its own learner, names its own class and
  // starts its own lab; those that need the lab page to themselves have a server of their own.
  workers: 2,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 720 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    permissions: ['clipboard-read', 'clipboard-write'],
    trace: 'retain-on-failure',
    // A hang fails at the step that hung, and names it, well inside the test's budget; generous,
    // since a loaded host is slow (a page that starts a lab navigates only once it is placed).
    actionTimeout: 60_000,
    navigationTimeout: 120_000,
  },
  webServer: {
    // The page is built only when its sources changed since the last build (a content hash):
    // npm test's prerequisites have just built it.
    command: "bash -c 'source scripts/lib/prereqs.sh && ensure_web_build && exec node --import tsx main.ts'",
    cwd: path.resolve(import.meta.dirname, '..'),
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    env: {
      PORT: port,
      HOST: '127.0.0.1',
      LAB_INSTANCE: process.env.E2E_INSTANCE,
      DATA_DIR: process.env.E2E_DATA_DIR,
      LAB_WARM_POOL: '1',
      // Dashboard tests join learners who never start a lab: no labs warmed for them (test/server/rosterWarming.test.ts covers it).
      LAB_ROSTER_WARM_MINUTES: '0',
      LAB_KEEP_ON_SHUTDOWN: 'false',
    },
    // SIGTERM lets the server destroy its labs before it exits (LAB_KEEP_ON_SHUTDOWN=false).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
  },
});
