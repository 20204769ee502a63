/**
 * The installed tarball's entry points load with plain Node, by `import` and by `require` (Node's require(esm),
 * unflagged since Node 20.19 and 22.12), and its bin runs.
 */
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { node, run } from './helpers.js';

const consumer = inject('consumer');

/** Some exports of each entry point and their `typeof`. */
const exportsOf = {
  rxtelnet: { decodeTelnet: 'function', createConnection: 'function', decodeNaws: 'function', TelnetOption: 'object' },
  'rxtelnet/mud': { decodeGmcp: 'function', gmcpMessages: 'function', mudClientPolicy: 'object' },
  'rxtelnet/testing': { scriptedPeer: 'function', runInVirtualTime: 'function', compliantPeer: 'object' },
  'rxtelnet/node': { connectTelnet: 'function', listenTelnet: 'function', nodeCompression: 'object' },
} as const;

/** A program printing, as JSON, the `typeof` of each export of `exportsOf[specifier]` in `rx`. */
const report = (specifier: keyof typeof exportsOf) =>
  `console.log(JSON.stringify(Object.fromEntries(Object.keys(${JSON.stringify(exportsOf[specifier])}).map((name) => [name, typeof rx[name]]))));`;

describe('the installed package', () => {
  it.each(Object.keys(exportsOf) as (keyof typeof exportsOf)[])('imports %s', (specifier) => {
    const output = node(`import * as rx from '${specifier}';\n${report(specifier)}`, consumer);
    expect(JSON.parse(output)).toEqual(exportsOf[specifier]);
  });

  it.each(Object.keys(exportsOf) as (keyof typeof exportsOf)[])('requires %s (require(esm))', (specifier) => {
    const output = node(`const rx = require('${specifier}');\n${report(specifier)}`, consumer, 'commonjs');
    expect(JSON.parse(output)).toEqual(exportsOf[specifier]);
  });

  it('decodes with the fp-ts and io-ts of the consumer (the package.json imports resolve)', () => {
    const output = node(
      `import { decodeNaws } from 'rxtelnet';\nimport * as E from 'fp-ts/lib/Either.js';\n` +
        `const result = decodeNaws(Uint8Array.of(0, 80, 0, 24));\nconsole.log(E.isRight(result) && JSON.stringify(result.right));`,
      consumer,
    );
    expect(JSON.parse(output)).toEqual({ width: 80, height: 24 });
  });

  it('runs the rxtelnet bin', () => {
    expect(run(join(consumer, 'node_modules', '.bin', 'rxtelnet'), ['--help'], consumer, 30_000)).toContain(
      'rxtelnet connect HOST PORT',
    );
  });
});
