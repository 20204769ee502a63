// Builds the example web client that `rxtelnet gateway --web` serves: src/cli/web/client.ts bundled for browsers
// with esbuild (the root export and rxtelnet/mud from source, xterm.js, rxjs), next to its page and xterm's CSS,
// into dist/cli/web/. Run by `npm run build` after tsc (which leaves src/cli/web/ out).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'cli', 'web');
const target = join(root, 'dist', 'cli', 'web');
const require = createRequire(import.meta.url);

mkdirSync(target, { recursive: true });
await build({
  entryPoints: [join(source, 'client.ts')],
  outfile: join(target, 'client.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync(join(source, 'index.html'), join(target, 'index.html'));
copyFileSync(
  join(dirname(require.resolve('@xterm/xterm/package.json')), 'css', 'xterm.css'),
  join(target, 'xterm.css'),
);
console.log('build-web: dist/cli/web/ (index.html, client.js, xterm.css)');
