/**
 * The portable entry points (`rxtelnet`, `rxtelnet/mud` and `rxtelnet/testing`) run in browsers: nothing they reach, however
 * indirectly, imports a `node:` module or a Node builtin, or uses a Node global such as `Buffer` or `process`.
 * (Only `rxtelnet/node` may.)
 */
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtins = new Set(builtinModules);
const nodeGlobals = new Set(['Buffer', 'process', 'global', 'require', 'module', '__dirname', '__filename']);
const nodeGlobalsWithTimers = new Set([...nodeGlobals, 'setImmediate', 'clearImmediate']);

/** Every source file under src/ that `entry` reaches, compiled without Node's types (as a browser sees it). */
const reachedFrom = (entry: string): readonly ts.SourceFile[] => {
  const program = ts.createProgram({
    rootNames: [join(root, entry)],
    options: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      noEmit: true,
      types: [],
    },
  });
  return program.getSourceFiles().filter((file) => file.fileName.startsWith(join(root, 'src')));
};

const importsOf = (file: ts.SourceFile): string[] =>
  file.statements
    .filter((statement) => ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))
    .map((statement) => (statement.moduleSpecifier as ts.StringLiteral | undefined)?.text ?? '');

/** The identifiers in `file` (outside comments and property names) that name a Node global. */
const nodeGlobalsIn = (file: ts.SourceFile, globals: ReadonlySet<string>): string[] => {
  const found: string[] = [];
  const visit = (node: ts.Node, parent: ts.Node): void => {
    const isPropertyName =
      ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === node) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent);
    if (ts.isIdentifier(node) && globals.has(node.text) && !isPropertyName) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push(`${relative(root, file.fileName)}:${line + 1} uses ${node.text}`);
    }
    ts.forEachChild(node, (child) => {
      visit(child, node);
    });
  };
  ts.forEachChild(file, (child) => {
    visit(child, file);
  });
  return found;
};

describe.each(['src/index.ts', 'src/mud/index.ts', 'src/testing/index.ts'])('the portable entry %s', (entry) => {
  const files = reachedFrom(entry);

  it('reaches no node: module and no Node builtin', () => {
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith('node:') || builtins.has(specifier))
        .map((specifier) => `${relative(root, file.fileName)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
    expect(files.filter((file) => file.fileName.includes(join('src', 'transport', 'node')))).toEqual([]);
    expect(files.filter((file) => file.fileName.includes(join('src', 'node')))).toEqual([]);
  });

  it('uses no Node global (Buffer, process, require, setImmediate...)', () => {
    expect(files.flatMap((file) => nodeGlobalsIn(file, nodeGlobalsWithTimers))).toEqual([]);
  });
});

describe('the Node-globals check', () => {
  it('finds a planted use of Buffer or process', () => {
    const planted = ts.createSourceFile(
      join(root, 'src', 'planted.ts'),
      'export const size = (text: string): number => Buffer.byteLength(text) + process.pid;\nconst ok = { process: 1 }.process;',
      ts.ScriptTarget.ES2022,
      true,
    );
    expect(nodeGlobalsIn(planted, nodeGlobals)).toEqual([
      'src/planted.ts:1 uses Buffer',
      'src/planted.ts:1 uses process',
    ]);
  });
});
