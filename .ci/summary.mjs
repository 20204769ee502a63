// Adds up the JSON reports that every test step of .ci/run wrote, and prints "N passed, N failed".
// A missing report (a step that crashed before writing one) counts as a failure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const expected = ['unit', 'smoke', 'packaging', 'interop'];
let passed = 0;
let failed = 0;
const seen = new Set();
for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  seen.add(file.replace(/\.json$/, ''));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
}
for (const step of expected) {
  if (!seen.has(step)) {
    console.log(`no test report from the ${step} step`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
