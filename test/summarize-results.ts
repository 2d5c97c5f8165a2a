// Adds up jest's JSON results of every phase into the closing line `N passed, N failed`.
// A phase that was asked for but wrote no results (setup crashed) counts as a failure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...phases] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let missing = 0;
for (const phase of phases.filter((p) => p !== 'typecheck')) {
  const file = join(dir!, `${phase}.json`);
  if (!existsSync(file)) {
    console.log(`phase ${phase}: no results (its setup failed?)`);
    missing++;
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numRuntimeErrorTestSuites: number };
  console.log(`phase ${phase}: ${result.numPassedTests} passed, ${result.numFailedTests} failed${result.numRuntimeErrorTestSuites ? `, ${result.numRuntimeErrorTestSuites} suites failed to run` : ''}`);
  passed += result.numPassedTests;
  failed += result.numFailedTests + result.numRuntimeErrorTestSuites;
}
console.log(`${passed} passed, ${failed + missing} failed`);
process.exit(failed + missing > 0 ? 1 : 0);
