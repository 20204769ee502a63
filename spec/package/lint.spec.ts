/** publint and @arethetypeswrong/cli (`--profile esm-only`) find nothing to report about the tarball. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, inject, it } from 'vitest';
import { root, run } from './helpers.js';

const tarball = inject('tarball');

describe('package linters', () => {
  it('publint (suggestions included, strict) reports nothing', async () => {
    const bytes = readFileSync(tarball);
    const result = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    expect(result.messages.map((message) => formatMessage(message, result.pkg) ?? message.code)).toEqual([]);
  });

  it('arethetypeswrong --profile esm-only reports no problem', () => {
    const attw = join(root, 'node_modules', '.bin', 'attw');
    // attw exits with 1 on a problem: run throws, with its report in the message.
    const report = run(attw, [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], root, 60_000);
    expect(report).toContain('rxtelnet/node');
  });
});
