/**
 * Runs the built `rxtelnet` command (dist/cli/main.js) as a child process for end-to-end tests, building dist/
 * first when a source file is newer than it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PeerProcess } from '../interop/harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The built entry point. */
export const cliMain = join(root, 'dist', 'cli', 'main.js');

/** How long a build may take on a loaded machine. */
export const BUILD_TIMEOUT_MS = 180_000;

const newestSource = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestSource(path) : entry.name.endsWith('.ts') ? statSync(path).mtimeMs : 0;
    return Math.max(newest, time);
  }, 0);

/**
 * Builds dist/ with `tsc -p tsconfig.build.json` unless dist/cli/main.js is newer than every file of src/.
 * Type errors elsewhere in the tree do not stop tsc from emitting; only a missing entry point fails.
 */
export const buildCliIfStale = (): void => {
  if (existsSync(cliMain) && statSync(cliMain).mtimeMs >= newestSource(join(root, 'src'))) return;
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  });
  if (!existsSync(cliMain)) throw new Error(`building dist/ failed:\n${build.stdout}${build.stderr}`);
};

/** Starts `node dist/cli/main.js ...args` with piped stdio under a time limit. */
export const spawnCli = (
  args: readonly string[],
  timeLimitMs = 20_000,
  env: NodeJS.ProcessEnv = process.env,
): PeerProcess => PeerProcess.spawn(process.execPath, { args: [cliMain, ...args], timeLimitMs, env, cwd: root });

/** The port in the last `...:PORT` of a line such as `rxtelnet demo MUD listening on 127.0.0.1:4000`. */
export const portIn = (line: string): number => {
  const match = /:(\d+)(?:,|$)/.exec(line);
  if (match?.[1] === undefined) throw new Error(`no port in ${JSON.stringify(line)}`);
  return Number(match[1]);
};
