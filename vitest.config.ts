import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const reportDir = process.env.RXTELNET_REPORT_DIR;

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    exclude: ['spec/interop/**', 'spec/package/**', 'node_modules/**'],
    testTimeout: 30_000,
    reporters: reportDir ? ['default', ['json', { outputFile: join(reportDir, 'unit.json') }]] : ['default'],
  },
});
