/**
 * Every `@example` in the sources and every ```ts block in docs/ and README.md must compile against the public API
 * (`rxtelnet` is mapped to src/index.ts, `rxtelnet/node` to src/node/index.ts).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'node_modules', '.cache', 'rxtelnet-examples');

const walk = (dir: string, suffix: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'api' ? [] : walk(path, suffix);
    return entry.name.endsWith(suffix) ? [path] : [];
  });

/** The ```ts blocks of a file; in TypeScript sources only those inside doc comments (lines start with `*`). */
const examplesOf = (path: string): string[] => {
  const text = readFileSync(path, 'utf8');
  const isSource = path.endsWith('.ts');
  const lines = text.split('\n').map((line) => (isSource ? line.replace(/^\s*\* ?/, '') : line));
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (current === undefined && /^```(ts|typescript)\s*$/.test(line.trim())) current = [];
    else if (current !== undefined && line.trim() === '```') {
      blocks.push(current.join('\n'));
      current = undefined;
    } else current?.push(line);
  }
  return blocks;
};

// The command line (src/cli) is an application, not part of the public API: its modules are not exported.
const sources = [
  ...walk(join(root, 'src'), '.ts').filter((path) => !relative(root, path).startsWith(join('src', 'cli'))),
  ...walk(join(root, 'docs'), '.md'),
  join(root, 'README.md'),
].filter((path) => {
  try {
    return examplesOf(path).length > 0;
  } catch {
    return false;
  }
});

const exampleFiles = new Map<string, string[]>();
let diagnostics: readonly ts.Diagnostic[] = [];

beforeAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const rootNames: string[] = [];
  for (const source of sources) {
    const files = examplesOf(source).map((code, index) => {
      const name = join(outDir, `${relative(root, source).replace(/[/\\.]/g, '_')}_${index}.ts`);
      writeFileSync(name, `${code}\nexport {};\n`);
      return name;
    });
    exampleFiles.set(source, files);
    rootNames.push(...files);
  }
  const program = ts.createProgram({
    rootNames,
    options: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      paths: {
        rxtelnet: [join(root, 'src/index.ts')],
        'rxtelnet/node': [join(root, 'src/node/index.ts')],
        'rxtelnet/mud': [join(root, 'src/mud/index.ts')],
        'rxtelnet/testing': [join(root, 'src/testing/index.ts')],
      },
    },
  });
  diagnostics = ts.getPreEmitDiagnostics(program);
}, 120_000);

describe('documentation examples compile', () => {
  it('finds examples to check', () => {
    expect(sources.length).toBeGreaterThan(10);
  });
  it.each(sources.map((source) => [relative(root, source), source]))('%s', (_name, source) => {
    const files = new Set(exampleFiles.get(source));
    const errors = diagnostics
      .filter((diagnostic) => diagnostic.file !== undefined && files.has(diagnostic.file.fileName))
      .map((diagnostic) => {
        const file = diagnostic.file!;
        const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        return `${relative(outDir, file.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}\n${file.text}`;
      });
    expect(errors).toEqual([]);
  });
});
