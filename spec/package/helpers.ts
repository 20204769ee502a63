/** Running commands and making consumer projects for the packaging tests, each command bounded in time. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `dependencies` of the package. */
const ownDependencies =
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> })
    .dependencies ?? {};

/** Runs `command` in `cwd` and returns its standard output; throws with both outputs when it fails or times out. */
export const run = (command: string, args: readonly string[], cwd: string, timeout = 120_000): string => {
  try {
    return execFileSync(command, args, { cwd, timeout, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
};

/** Runs npm offline (the tests never reach a registry), without audit, fund or update notices. */
export const npm = (args: readonly string[], cwd: string, timeout?: number): string =>
  run('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], cwd, timeout);

/** Runs a Node.js program given as text (`--eval`), as an ES module or as CommonJS, in `cwd`. */
export const node = (code: string, cwd: string, type: 'module' | 'commonjs' = 'module'): string =>
  run(process.execPath, ['--input-type', type, '--eval', code], cwd, 30_000);

/** The scripts npm runs when it installs a linked folder. */
const installScripts = ['preinstall', 'install', 'postinstall', 'prepare'];

/**
 * Where a consumer in `dir` links the package `name` of this repository's node_modules from: the package itself or,
 * when it has install scripts (prom-client's `prepare` runs husky, a development tool of its own), a copy of it
 * without them, beside a link to this repository's node_modules so that its own dependencies still resolve.
 */
const linkTarget = (dir: string, name: string): string => {
  const installed = join(root, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const scripts = manifest.scripts ?? {};
  if (!installScripts.some((script) => script in scripts)) return installed;
  const links = join(dir, '..', `${basename(dir)}-links`);
  const copy = join(links, name);
  cpSync(installed, copy, { recursive: true });
  writeFileSync(join(copy, 'package.json'), `${JSON.stringify({ ...manifest, scripts: {} }, null, 2)}\n`);
  if (!existsSync(join(links, 'node_modules')))
    symlinkSync(join(root, 'node_modules'), join(links, 'node_modules'), 'dir');
  return copy;
};

/**
 * Makes a consumer project in `dir` and installs `rxtelnet` from `spec` (a tarball or a folder) into it, after the
 * peers and dependencies linked from this repository (in two steps: npm 11 fails to place the peers of a dependency on links
 * installed in the same run).
 */
export const installConsumer = (dir: string, spec: string): void => {
  mkdirSync(dir, { recursive: true });
  const linked = (name: string) => `file:${linkTarget(dir, name)}`;
  const manifest = {
    name: 'rxtelnet-consumer',
    private: true,
    type: 'module',
    dependencies: {
      rxjs: linked('rxjs'),
      'fp-ts': linked('fp-ts'),
      'io-ts': linked('io-ts'),
      '@types/node': linked('@types/node'),
      // The package's own dependencies, linked too: the tests never reach a registry.
      ...Object.fromEntries(Object.keys(ownDependencies).map((name) => [name, linked(name)])),
    },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  npm(['install'], dir);
  npm(['install', spec], dir);
};
