/**
 * A TypeScript project using the installed tarball compiles under each supported module resolution (node16,
 * nodenext, bundler), and every module the package's declarations import resolves under it (skipLibCheck would
 * otherwise turn an unresolved one into `any` silently; a `@ts-expect-error` catches an `any` too). Checking the
 * declarations with skipLibCheck off would type-check all of @types/node, several seconds per resolution.
 * `moduleResolution: node10` is not supported: it cannot see `rxtelnet/node`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, inject, it } from 'vitest';

const consumer = inject('consumer');

/** Uses the three entry points and types that come from fp-ts and io-ts through rxtelnet's declarations. */
const program = `import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { decodeNaws, TelnetOption, type WindowSize } from 'rxtelnet';
import { decodeGmcpMessage, standardGmcpCodecs } from 'rxtelnet/mud';
import { connectTelnet } from 'rxtelnet/node';

const size: E.Either<unknown, WindowSize> = decodeNaws(Uint8Array.of(0, 80, 0, 24));
// @ts-expect-error a WindowSize is no string: the declarations are typed, not any
const wrong: E.Either<unknown, string> = decodeNaws(Uint8Array.of(0, 80, 0, 24));
const vitals = decodeGmcpMessage({ ...standardGmcpCodecs, 'Room.Info': t.type({ num: t.number }) }, Uint8Array.of());
if (E.isRight(vitals) && vitals.right._tag === 'Typed' && vitals.right.name === 'Room.Info') console.log(vitals.right.body.num.toFixed());
const subscription = connectTelnet({ host: '127.0.0.1', port: 4000 }).subscribe((connection) => {
  connection.write('look\\n');
  connection.do(TelnetOption.NAWS).subscribe();
});
subscription.unsubscribe();
console.log(size, wrong);
`;

const resolutions = {
  node16: { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
  nodenext: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
  bundler: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
  'bundler (module preserve)': { module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler },
} as const;

/** Parsed files shared by the programs (the libraries' declarations are the same for each resolution). */
const parsed = new Map<string, ts.SourceFile | undefined>();
const host = (options: ts.CompilerOptions): ts.CompilerHost => {
  const base = ts.createCompilerHost(options);
  return {
    ...base,
    getSourceFile: (fileName, languageVersionOrOptions, onError) => {
      const format = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions.impliedNodeFormat : '';
      const key = `${fileName}|${String(format)}`;
      if (!parsed.has(key)) parsed.set(key, base.getSourceFile(fileName, languageVersionOrOptions, onError));
      return parsed.get(key);
    },
  };
};

/**
 * The module specifiers of the package's declaration files that do not resolve under `options`, to a file or to
 * an ambient module (such as @types/node's `node:net`).
 */
const unresolvedImports = (program: ts.Program, options: ts.CompilerOptions): string[] => {
  const ambient = new Set(
    program
      .getTypeChecker()
      .getAmbientModules()
      .map((symbol) => symbol.getName().replace(/^"|"$/g, '')),
  );
  return program
    .getSourceFiles()
    .filter((file) => file.fileName.includes('/node_modules/rxtelnet/'))
    .flatMap((file) =>
      ts
        .preProcessFile(readFileSync(file.fileName, 'utf8'), true, true)
        .importedFiles.filter(
          ({ fileName }) =>
            !ambient.has(fileName) &&
            ts.resolveModuleName(fileName, file.fileName, options, ts.sys, undefined, undefined, ts.ModuleKind.ESNext)
              .resolvedModule === undefined,
        )
        .map(({ fileName }) => `${relative(consumer, file.fileName)}: ${fileName}`),
    );
};

describe(`a consumer project compiles with TypeScript ${ts.version}`, () => {
  it.each(Object.entries(resolutions))('moduleResolution %s', (name, options) => {
    const dir = join(consumer, `types-${name.replace(/\W+/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'index.ts');
    writeFileSync(file, program);
    const compilerOptions: ts.CompilerOptions = {
      ...options,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      skipLibCheck: true,
    };
    const compiled = ts.createProgram({ rootNames: [file], options: compilerOptions, host: host(compilerOptions) });
    const diagnostics = ts.getPreEmitDiagnostics(compiled);
    const messages = diagnostics.map((diagnostic) => {
      const where = diagnostic.file ? relative(consumer, diagnostic.file.fileName) : '';
      return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
    expect(unresolvedImports(compiled, compilerOptions)).toEqual([]);
  });
});
