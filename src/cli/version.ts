/**
 * The version of the rxtelnet package, read from its package.json (two levels up from both src/cli and dist/cli).
 *
 * @module
 */
import { readFileSync } from 'node:fs';

const readVersion = (): string => {
  try {
    const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string'
      ? manifest.version
      : 'unknown';
  } catch {
    return 'unknown';
  }
};

/** The package's version, e.g. `'0.1.0'`; `'unknown'` when package.json cannot be read. */
export const packageVersion: string = readVersion();
