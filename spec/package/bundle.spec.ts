/**
 * A browser bundle (esbuild, minified) of the installed package takes the ES modules of fp-ts and io-ts
 * (`es6/`, through the package.json `imports` map `#fp-ts/*`), never their CommonJS `lib/`, which bundlers cannot
 * tree-shake; a Node bundle takes `lib/`, as plain Node does. The sizes are printed for the record.
 */
import { build } from 'esbuild';
import { describe, expect, inject, it } from 'vitest';
// @ts-expect-error bench/ is plain JavaScript without declarations
import { entries, measure } from '../../bench/bundle-size.mjs';

interface Measure {
  readonly minified: number;
  readonly gzipped: number;
  readonly fpTs: number;
  readonly ioTs: number;
  readonly inputs: readonly string[];
}
const measured = measure as (
  imports: Readonly<Record<string, readonly string[]>>,
  from: string,
  resolveDir: string,
) => Promise<Measure>;
const sets = entries as Record<string, Readonly<Record<string, readonly string[]>>>;

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
