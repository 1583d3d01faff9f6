import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Multi-page build: each page is its own entry, served as static files by the server.
export default defineConfig({
  root: resolve(import.meta.dirname),
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        lab: resolve(import.meta.dirname, 'lab.html'),
        instructor: resolve(import.meta.dirname, 'instructor.html'),
        dashboard: resolve(import.meta.dirname, 'dashboard.html'),
        join: resolve(import.meta.dirname, 'join.html'),
        lms: resolve(import.meta.dirname, 'lms.html'),
      },
    },
  },
});
