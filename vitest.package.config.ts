import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const reportDir = process.env.RXTELNET_REPORT_DIR;

/**
 * The packaging tests (spec/package/): `npm pack` once, install the tarball into a temporary consumer project,
 * and check it as a user would get it. Run by `npm run test:package` (the last step of `npm test`).
 */
export default defineConfig({
  test: {
    include: ['spec/package/**/*.spec.ts'],
    globalSetup: ['spec/package/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: reportDir ? ['default', ['json', { outputFile: join(reportDir, 'packaging.json') }]] : ['default'],
  },
});
