#!/usr/bin/env node
// `npm test`: every suite in turn (unit and integration, Python SDK, end to end),
// then one closing line `N passed, N failed, N skipped` summed over all of them.
// Exits non-zero when any suite fails or a suite could not run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(root, 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

runVitest('core', ['--project', 'unit', '--project', 'integration']);
runPython();
runVitest('e2e', ['--project', 'e2e', '--no-file-parallelism']);

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(broken || totals.failed > 0 ? 1 : 0);

function runVitest(label, args) {
  const report = path.join(resultsDir, `vitest-${label}.json`);
  fs.rmSync(report, { force: true });
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, stdio: 'inherit' },
  );

  if (!fs.existsSync(report)) {
    console.error(`test: the ${label} suite wrote no report (exit ${result.status}); see the output above.`);
    broken = true;
    return;
  }
  const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
  totals.passed += summary.numPassedTests;
  totals.failed += summary.numFailedTests;
  totals.skipped += summary.numPendingTests + summary.numTodoTests;
  if (result.status !== 0 && summary.numFailedTests === 0) broken = true;
}

function runPython() {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/testPython.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  process.stderr.write(result.stderr ?? '');

  // unittest ends with "Ran N tests" and "OK" or "FAILED (failures=F, errors=E, skipped=S)".
  const ran = /Ran (\d+) tests?/.exec(result.stderr ?? '');
  if (!ran) {
    console.error(`test: the Python SDK suite did not run (exit ${result.status}).`);
    broken = true;
    return;
  }
  const count = (name) => Number(new RegExp(`${name}=(\\d+)`).exec(result.stderr)?.[1] ?? 0);
  const failed = count('failures') + count('errors');
  const skipped = count('skipped');
  totals.passed += Number(ran[1]) - failed - skipped;
  totals.failed += failed;
  totals.skipped += skipped;
  if (result.status !== 0 && failed === 0) broken = true;
}
