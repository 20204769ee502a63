/**
 * The root export is the portable core: nothing it reaches, however indirectly, imports a `node:` module or a
 * Node builtin, so it runs in browsers. (Only `rxtelnet/node` may.)
 */
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtins = new Set(builtinModules);

const program = ts.createProgram({
  rootNames: [join(root, 'src/index.ts')],
  options: {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    types: [],
  },
});

describe('the portable core', () => {
  it('reaches no node: module and no Node builtin from src/index.ts', () => {
    const ours = program.getSourceFiles().filter((file) => file.fileName.startsWith(join(root, 'src')));
    expect(ours.length).toBeGreaterThan(30);
    const offending = ours.flatMap((file) =>
      file.statements
        .filter((statement) => ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))
        .map((statement) => (statement.moduleSpecifier as ts.StringLiteral | undefined)?.text ?? '')
        .filter((specifier) => specifier.startsWith('node:') || builtins.has(specifier))
        .map((specifier) => `${relative(root, file.fileName)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
    expect(ours.filter((file) => file.fileName.includes(join('src', 'transport', 'node')))).toEqual([]);
  });
});
