/**
 * Every public export of both entry points has a doc comment with an `@example` (the examples themselves are
 * compiled by examples.spec.ts).
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entries = [
  join(root, 'src/index.ts'),
  join(root, 'src/mud/index.ts'),
  join(root, 'src/node/index.ts'),
  join(root, 'src/testing/index.ts'),
];

const program = ts.createProgram({
  rootNames: entries,
  options: {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
  },
});
const checker = program.getTypeChecker();

const exportsOf = (entry: string): { name: string; where: string; hasExample: boolean }[] => {
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`cannot read ${entry}`);
  return checker.getExportsOfModule(module).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    const where = declaration ? relative(root, declaration.getSourceFile().fileName) : '?';
    const hasExample = (symbol.declarations ?? []).some((node) =>
      ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'example'),
    );
    return { name: exported.name, where, hasExample };
  });
};

describe('the public API', () => {
  it.each(entries.map((entry) => [relative(root, entry), entry]))(
    '%s: every export has an @example',
    (_name, entry) => {
      const exported = exportsOf(entry);
      expect(exported.length).toBeGreaterThan(10);
      expect(exported.filter((item) => !item.hasExample).map((item) => `${item.name} (${item.where})`)).toEqual([]);
    },
  );
});
