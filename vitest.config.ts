import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    exclude: ['spec/interop/**', 'node_modules/**'],
    testTimeout: 30_000,
    pool: 'threads',
  },
});
