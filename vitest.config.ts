import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        // A real SQLite file in a temp dir, and a child process killed mid-write; no Docker.
        test: { name: 'store', include: ['test/store/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        // Real Docker, real containers. Two files at a time: they mostly wait on machines and
        // timers, and each test namespaces its labs and keeps to its own address slots. The
        // time limits are for a hung test on a host other suites load (load 40+ seen), never
        // a measure of speed.
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers: 2,
        },
      },
      {
        // The real server in-process with real labs: bad input, auth, reconnect, flow control.
        // Two files at a time, as integration.
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
