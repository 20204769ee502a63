/**
 * A browser bundle (esbuild, minified) of the installed package takes the ES modules of fp-ts and io-ts
 * (`es6/`, through the package.json `imports` map `#fp-ts/*`), never their CommonJS `lib/`, which bundlers cannot
 * tree-shake; a Node bundle takes `lib/`, as plain Node does. Each browser bundle stays within its size limit
 * (`decodeTelnet` alone 8 KB, a full MUD client with the portable MCCP engine 31 KB, minified and gzipped) and
 * holds no `node:` import and no Node global.
 */
import { build } from 'esbuild';
import { describe, expect, inject, it } from 'vitest';
// @ts-expect-error bench/ is plain JavaScript without declarations
import { entries, limits, measure } from '../../bench/bundle-size.mjs';

interface Measure {
  readonly minified: number;
  readonly gzipped: number;
  readonly fpTs: number;
  readonly ioTs: number;
  readonly inputs: readonly string[];
  readonly imports: readonly string[];
  readonly nodeGlobals: readonly string[];
  readonly compression: number;
}
const measured = measure as (
  imports: Readonly<Record<string, readonly string[]>>,
  from: string,
  resolveDir: string,
) => Promise<Measure>;
const sets = entries as Record<string, Readonly<Record<string, readonly string[]>>>;
const sizeLimits = limits as Record<string, number>;

const consumer = inject('consumer');
const commonJs = /node_modules\/(fp-ts|io-ts)\/lib\//;

describe('bundling the installed package', () => {
  it.each(Object.entries(sets))('for a browser, %s takes no CommonJS of fp-ts or io-ts', async (name, names) => {
    const result = await measured(names, 'rxtelnet', consumer);
    console.log(`${name}: ${result.minified} B minified, ${result.gzipped} B gzipped`);
    expect(result.inputs.filter((path) => commonJs.test(path))).toEqual([]);
    // The MUD-client set was 30.9 kB gzipped with fp-ts/lib (fp-ts 27.5 kB and io-ts 21.5 kB minified), 22.0 kB
    // with es6/ (fp-ts 1.8 kB, io-ts 9.8 kB).
    expect(result.fpTs).toBeLessThan(5_000);
  });

  it.each(Object.entries(sets))('for a browser, %s stays within its gzipped size limit', async (name, names) => {
    const result = await measured(names, 'rxtelnet', consumer);
    const limit = sizeLimits[name];
    expect(limit).toBeDefined();
    console.log(
      `${name}: ${result.gzipped} B gzipped of ${limit} B allowed; compression ${result.compression} B minified`,
    );
    expect(result.gzipped).toBeLessThanOrEqual(limit ?? 0);
    expect(result.imports).toEqual([]);
    expect(result.nodeGlobals).toEqual([]);
  });

  it('puts the portable MCCP engine in the MUD client and not in the codec alone', async () => {
    const mud = await measured(sets['mud-client'] ?? {}, 'rxtelnet', consumer);
    const codec = await measured(sets.decodeTelnet ?? {}, 'rxtelnet', consumer);
    expect(mud.inputs.some((path) => path.includes('node_modules/fflate/esm/browser.js'))).toBe(true);
    expect(mud.compression).toBeGreaterThan(5_000);
    expect(codec.compression).toBe(0);
  });

  it('for Node, takes the CommonJS fp-ts (the node condition)', async () => {
    const result = await build({
      stdin: { contents: `export { decodeNaws } from 'rxtelnet';`, resolveDir: consumer, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => path.includes('node_modules/fp-ts/es6/'))).toEqual([]);
    expect(inputs.filter((path) => path.includes('node_modules/fp-ts/lib/')).length).toBeGreaterThan(0);
  });
});
