/**
 * Global setup of the packaging tests: `npm pack` the repository (which runs `prepare`, the build) into a temporary
 * folder and install the tarball into a consumer project there, offline. The peer dependencies and @types/node are
 * linked from this repository's node_modules, so nothing is fetched.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { npm, root } from './helpers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding the tarball and the consumer project. */
    work: string;
    /** The packed tarball. */
    tarball: string;
    /** A project (`"type": "module"`) with the tarball installed in its node_modules. */
    consumer: string;
  }
}

/**
 * Makes a consumer project in `dir` and installs `rxtelnet` from `spec` (a tarball or a folder) into it, after the
 * peers linked from this repository (in two steps: npm 11 fails to place the peers of a dependency on links
 * installed in the same run).
 */
export const installConsumer = (dir: string, spec: string): void => {
  mkdirSync(dir, { recursive: true });
  const linked = (name: string) => `file:${join(root, 'node_modules', name)}`;
  const manifest = {
    name: 'rxtelnet-consumer',
    private: true,
    type: 'module',
    dependencies: {
      rxjs: linked('rxjs'),
      'fp-ts': linked('fp-ts'),
      'io-ts': linked('io-ts'),
      '@types/node': linked('@types/node'),
    },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  npm(['install'], dir);
  npm(['install', spec], dir);
};

export default function setup(project: TestProject): () => void {
  const work = mkdtempSync(join(tmpdir(), 'rxtelnet-package-'));
  npm(['pack', '--pack-destination', work], root);
  const name = readdirSync(work).find((file) => file.endsWith('.tgz'));
  if (name === undefined) throw new Error(`npm pack left no tarball in ${work}`);
  const tarball = join(work, name);
  const consumer = join(work, 'consumer');
  installConsumer(consumer, tarball);
  project.provide('work', work);
  project.provide('tarball', tarball);
  project.provide('consumer', consumer);
  return () => {
    rmSync(work, { recursive: true, force: true });
  };
}
