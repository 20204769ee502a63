/**
 * What the tarball holds: dist/ built from src/ and nothing stale, source maps whose sources are in the tarball
 * (src/ is shipped for them), a README whose links work outside the repository, the repository's addresses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const installed = join(inject('consumer'), 'node_modules', 'rxtelnet');

/** Every file under `dir`, relative to `dir`, with `/` separators. */
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));

const files = walk(installed);

describe('the tarball', () => {
  it('holds dist/, src/, README.md and package.json only', () => {
    const tops = new Set(files.map((file) => file.split('/')[0]));
    expect([...tops].sort()).toEqual(['README.md', 'dist', 'package.json', 'src']);
  });

  it('has a dist/ module for each src/ module and no other', () => {
    const built = files.filter((file) => /^dist\/.*\.js$/.test(file)).map((file) => file.slice(5, -3));
    const sources = files.filter((file) => /^src\/.*\.ts$/.test(file)).map((file) => file.slice(4, -3));
    expect(built.length).toBeGreaterThan(30);
    expect(built.sort()).toEqual(sources.sort());
  });

  it('has source maps whose every source is in the tarball', () => {
    const maps = files.filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(30);
    const missing = maps.flatMap((map) => {
      const { sources, sourceRoot } = JSON.parse(readFileSync(join(installed, map), 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      return sources
        .map((source) => relative(installed, resolve(dirname(join(installed, map)), sourceRoot ?? '', source)))
        .filter((source) => source.startsWith('..') || !files.includes(source.split(sep).join('/')))
        .map((source) => `${map}: ${source}`);
    });
    expect(missing).toEqual([]);
  });

  it('has declarations that import public modules only (the `#fp-ts/*` imports are rewritten by the build)', () => {
    const hashImports = files
      .filter((file) => file.endsWith('.d.ts'))
      .filter((file) => /(from |import\()['"]#/.test(readFileSync(join(installed, file), 'utf8')));
    expect(hashImports).toEqual([]);
  });

  it('has a README whose links are absolute (relative ones break on the registry page)', () => {
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1] ?? '');
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !/^(https:\/\/|#)/.test(link))).toEqual([]);
  });

  it('names the repository, the home page and the issue tracker', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      repository: { type: 'git', url: expect.stringMatching(/^git\+https:\/\//) as unknown },
      homepage: expect.stringMatching(/^https:\/\//) as unknown,
      bugs: { url: expect.stringMatching(/^https:\/\//) as unknown },
    });
  });
});
