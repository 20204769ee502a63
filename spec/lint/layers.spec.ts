/**
 * The layer rule of `.eslintrc.cjs`: imports only point down. Each case plants an import in a file of one folder and
 * runs ESLint with the project's own `no-restricted-imports` settings (the type-aware rules are left out: they need a
 * program, and this spec is about the layers).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadESLint } from 'eslint';
import type { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const project = createRequire(import.meta.url)(join(root, '.eslintrc.cjs')) as Linter.LegacyConfig;

const restrictedImportsOnly = (config: Linter.LegacyConfig): Linter.LegacyConfig => ({
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: { sourceType: 'module' },
  rules: { 'no-restricted-imports': config.rules?.['no-restricted-imports'] ?? 'off' },
  overrides: (config.overrides ?? []).flatMap(({ files, excludedFiles, rules }) => {
    const restricted = rules?.['no-restricted-imports'];
    if (restricted === undefined) return [];
    return [
      {
        files,
        ...(excludedFiles === undefined ? {} : { excludedFiles }),
        rules: { 'no-restricted-imports': restricted },
      },
    ];
  }),
});

const lintImport = async (file: string, specifier: string): Promise<string[]> => {
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  const eslint = new LegacyESLint({ cwd: root, useEslintrc: false, baseConfig: restrictedImportsOnly(project) });
  const [result] = await eslint.lintText(`import '${specifier}';\n`, { filePath: join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
};

describe('imports only point down', () => {
  it.each([
    ['src/codec/planted.ts', 'rxjs'],
    ['src/codec/planted.ts', '../session/connection.js'],
    ['src/negotiation/planted.ts', 'node:zlib'],
    ['src/protocol/planted.ts', '../transport/types.js'],
    ['src/text/planted.ts', '../operators/lines.js'],
    ['src/options/planted.ts', 'rxjs'],
    ['src/options/planted.ts', '../session/connection.js'],
    ['src/options/planted.ts', '../option-helpers/naws.js'],
    ['src/options/planted.ts', '../cli/main.js'],
    ['src/operators/planted.ts', '../session/connection.js'],
    ['src/operators/planted.ts', 'node:buffer'],
    ['src/transport/planted.ts', '../session/connection.js'],
    ['src/transport/planted.ts', 'node:net'],
    ['src/transport/node/planted.ts', '../../session/connection.js'],
    ['src/transport/node/planted.ts', '../../node/telnet.js'],
    ['src/session/planted.ts', '../option-helpers/naws.js'],
    ['src/session/planted.ts', '../transport/node/zlib.js'],
    ['src/session/planted.ts', '../node/index.js'],
    ['src/option-helpers/planted.ts', '../node/telnet.js'],
    ['src/option-helpers/planted.ts', 'node:events'],
    ['src/mud/planted.ts', '../transport/node/zlib.js'],
    ['src/node/planted.ts', '../cli/main.js'],
    ['src/cli/planted.ts', 'rxjs/operators'],
    ['src/codec/planted.ts', 'fp-ts/Either'],
    ['src/options/planted.ts', 'fp-ts/lib/Either.js'],
    ['src/cli/planted.ts', 'io-ts/lib/PathReporter.js'],
    ['spec/codec/planted.spec.ts', 'fp-ts/Either'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await lintImport(file, specifier)).toEqual(['no-restricted-imports']);
  });

  it.each([
    ['src/codec/planted.ts', '../protocol/commands.js'],
    ['src/options/planted.ts', '#fp-ts/Either'],
    ['src/options/planted.ts', 'io-ts'],
    ['spec/options/planted.spec.ts', 'fp-ts/lib/Either.js'],
    ['src/options/planted.ts', '../text/encodings.js'],
    ['src/operators/planted.ts', 'rxjs'],
    ['src/transport/planted.ts', '../codec/parser.js'],
    ['src/transport/node/planted.ts', 'node:net'],
    ['src/session/planted.ts', '../operators/decodeTelnet.js'],
    ['src/session/planted.ts', '../transport/compression.js'],
    ['src/option-helpers/planted.ts', '../session/connection.js'],
    ['src/mud/planted.ts', '../option-helpers/gmcp.js'],
    ['src/node/planted.ts', '../session/connection.js'],
    ['src/node/planted.ts', '../transport/node/zlib.js'],
    ['src/cli/planted.ts', '../node/index.js'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await lintImport(file, specifier)).toEqual([]);
  });
});
