import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const reportDir = process.env.RXTELNET_REPORT_DIR;

/** Interop tests against real peers (install them with .ci/install-peers.sh); one file at a time. */
export default defineConfig({
  test: {
    include: ['spec/interop/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: reportDir ? ['default', ['json', { outputFile: join(reportDir, 'interop.json') }]] : ['default'],
  },
});
