/**
 * `npm install <folder>` (and a git URL, which npm clones and then treats alike) runs the `prepare` script, which
 * builds dist/: dist/ is not in the repository. The folder is a copy of this work tree's files (what a clone would
 * hold, uncommitted changes included) with this repository's node_modules linked, so the build needs no network.
 */
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { installConsumer, node, root, run } from './helpers.js';

describe('installing from a folder', () => {
  it('builds dist/ by prepare and loads', () => {
    const checkout = join(inject('work'), 'checkout');
    const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], root)
      .split('\0')
      .filter((file) => file !== '' && existsSync(join(root, file)));
    for (const file of files) {
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      cpSync(join(root, file), join(checkout, file));
    }
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    expect(existsSync(join(checkout, 'dist'))).toBe(false);

    const consumer = join(inject('work'), 'folder-consumer');
    installConsumer(consumer, checkout);
    expect(existsSync(join(consumer, 'node_modules', 'rxtelnet', 'dist', 'index.js'))).toBe(true);
    expect(node(`import { decodeTelnet } from 'rxtelnet';\nconsole.log(typeof decodeTelnet);`, consumer)).toBe(
      'function\n',
    );
  });
});
