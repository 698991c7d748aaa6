// The test command (`pnpm test`): runs every package's vitest suite through turbo, then prints one
// line per project with its counts and the closing `N passed, N failed, N skipped` line CI reads.
// Skips are counted and shown, never folded into "passed".
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const reports = join(process.cwd(), 'reports', 'vitest');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const args = ['run', 'test', '--concurrency=1', '--continue', '--output-logs=full', ...process.argv.slice(2)];
const turbo = spawnSync('turbo', args, { stdio: 'inherit', shell: process.platform === 'win32' });

let passed = 0, failed = 0, skipped = 0;
console.log('\nTest summary by project:');
for (const file of existsSync(reports) ? readdirSync(reports).sort() : []) {
  if (!file.endsWith('.json')) continue;
  const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
  const p = report.numPassedTests ?? 0;
  const f = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p; failed += f; skipped += s;
  console.log(`  ${file.replace(/\.json$/, '').padEnd(28)} ${p} passed, ${f} failed, ${s} skipped`);
}
const status = turbo.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // a crash that wrote no report still fails the run
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
