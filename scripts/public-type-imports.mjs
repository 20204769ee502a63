// After tsc: rewrites, in the declarations of dist/, each import of a package.json `imports` entry (`#fp-ts/Either`)
// to the public module its `types` condition names (`fp-ts/lib/Either.js`). The JavaScript keeps the `#` imports,
// so that bundlers can pick fp-ts's ES modules; the declarations name modules every consumer's TypeScript resolves
// the same way, and tools that check a package alone (arethetypeswrong) do not follow `#` imports out of it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { imports = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** `#fp-ts/*` → [/^#fp-ts\/(.*)$/, 'fp-ts/lib/*.js'] for each entry with a `types` target. */
const rules = Object.entries(imports)
  .filter(([, target]) => typeof target === 'object' && typeof target.types === 'string')
  .map(([key, target]) => [
    new RegExp(`^${key.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replace('*', '(.+)')}$`),
    target.types,
  ]);

/** The public module for a `#` specifier, or the specifier itself. */
const publicModule = (specifier) => {
  for (const [pattern, target] of rules) {
    const match = pattern.exec(specifier);
    if (match) return target.replace('*', match[1] ?? '');
  }
  return specifier;
};

let rewritten = 0;
for (const entry of readdirSync(join(root, 'dist'), { withFileTypes: true, recursive: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const path = join(entry.parentPath, entry.name);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(/(from |import\()(['"])(#[^'"]+)\2/g, (_all, before, quote, specifier) => {
    return `${before}${quote}${publicModule(specifier)}${quote}`;
  });
  if (next !== text) {
    writeFileSync(path, next);
    rewritten++;
  }
}
console.log(`public-type-imports: ${rewritten} declaration files rewritten`);
