// Bundles typical imports of the built package (dist/) for a browser with esbuild, minified, and prints the size
// of each bundle raw and gzipped, and how much of it is fp-ts and io-ts. Run `npm run build` first.
// `node bench/bundle-size.mjs --json` prints the figures as JSON (spec/package/ reads them).
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The import sets measured, by entry point ('.' is the root export, 'mud' is rxtelnet/mud): what a codec-only
 * user and a full MUD client in a browser import (the connection over a WebSocket, the standard MUD client
 * policy, GMCP, lines, and the portable MCCP engine).
 */
export const entries = {
  decodeTelnet: { '.': ['decodeTelnet'] },
  'mud-client': {
    '.': ['createConnection', 'createMemoryTransports', 'connectWebSocket', 'lines', 'portableCompression'],
    mud: ['mudClientPolicy', 'gmcpMessages', 'decodeGmcp'],
  },
};

/**
 * The most each set may weigh, minified and gzipped (issue: the browser as a first-class home). The MUD client's
 * 30 KiB became 31 KiB with the connection's hot path (the joined data runs, events made only for their readers:
 * about 0.2 KiB gzipped), then 33 KiB with the NVT newlines translated by SIMD, in place (0.9 KiB) and the
 * connection's streams and hooks made on first use, for its memory per connection (0.7 KiB).
 */
export const limits = { decodeTelnet: 8 * 1024, 'mud-client': 33 * 1024 };

/** The module an entry point is at: a subpath of the package name, or a folder of dist/. */
const entryModule = (from, entry) => {
  if (!from.startsWith('/')) return entry === '.' ? from : `${from}/${entry}`;
  return join(from, entry, 'index.js');
};

/**
 * Bundles the `imports` (names by entry point) of the package at `from` (dist/ by default, or a package name
 * resolved from `resolveDir`).
 * @returns the minified and gzipped sizes in bytes and the bytes of each dependency's input files.
 */
export const measure = async (imports, from = join(root, 'dist'), resolveDir = root) => {
  const contents = Object.entries(imports)
    .map(([entry, names]) => `export { ${names.join(', ')} } from ${JSON.stringify(entryModule(from, entry))};`)
    .join('\n');
  const result = await build({
    stdin: {
      contents,
      resolveDir,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const text = new TextDecoder().decode(code);
  const output = Object.values(result.metafile.outputs)[0];
  const bytesOf = (pattern) =>
    Object.entries(output.inputs)
      .filter(([path]) => pattern.test(path))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  return {
    minified: code.byteLength,
    gzipped: gzipSync(code, { level: 9 }).byteLength,
    fpTs: bytesOf(/node_modules\/fp-ts\//),
    ioTs: bytesOf(/node_modules\/io-ts\//),
    inputs: Object.keys(output.inputs),
    /** Imports left in the bundle (a `node:` module would be one), and Node globals its code names. */
    imports: output.imports.map((entry) => entry.path),
    nodeGlobals: ['Buffer', 'process', 'require', 'setImmediate'].filter((name) =>
      new RegExp(`(?<![\\w$.'"])${name}(?![\\w$'"])`).test(text),
    ),
    /** Which compression code is in the bundle (fflate, our zlib writer). */
    compression: bytesOf(/node_modules\/fflate\/|zlib-writer|portable-compression/),
  };
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = {};
  for (const [name, names] of Object.entries(entries)) results[name] = await measure(names);
  if (process.argv.includes('--json')) console.log(JSON.stringify(results, null, 2));
  else {
    for (const [name, { minified, gzipped, fpTs, ioTs, inputs, compression }] of Object.entries(results)) {
      const cjs = inputs.filter((path) => /node_modules\/(fp-ts|io-ts)\/lib\//.test(path)).length;
      console.log(
        `${name}: ${minified} B minified, ${gzipped} B gzipped (limit ${limits[name]}); fp-ts ${fpTs} B, io-ts ${ioTs} B, compression ${compression} B (minified, before gzip); ${cjs} CommonJS files of fp-ts/io-ts`,
      );
    }
  }
}
