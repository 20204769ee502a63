/**
 * Global setup of the packaging tests: `npm pack` the repository (which runs `prepare`, the build) into a temporary
 * folder and install the tarball into a consumer project there, offline. The peer dependencies and @types/node are
 * linked from this repository's node_modules, so nothing is fetched.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { installConsumer, npm, root } from './helpers.js';

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
