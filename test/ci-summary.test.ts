/**
 * The closing line CI reads (`N passed, N failed, N skipped`) counts a failure for every failed run: a file whose
 * `beforeAll` throws reports its tests skipped, and the line must still say « 1 failed »; `.ci/run` ends with such
 * a line when a step before the tests fails. Runs vitest itself on small fixture files, and `.ci/run`'s closing
 * logic through bash.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const lastLineOf = (output: string) =>
  output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .pop();

function runVitestOn(fixture: string) {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      '--root',
      root,
      '--config',
      join(root, 'test', 'ci-summary-fixtures', 'vitest.fixtures.config.ts'),
      fixture,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'false' }, timeout: 60_000 },
  );
  return { status: run.status, last: lastLineOf(`${run.stdout}`) };
}

describe('the closing line', () => {
  it('when a file’s beforeAll throws, then the run fails and its line counts one failure, not « 0 failed »', () => {
    const run = runVitestOn('before-all-throws');
    expect(run.status).not.toBe(0);
    expect(run.last).toBe('0 passed, 1 failed, 2 skipped');
  }, 60_000);

  it('when every test passes, then the line says so and the run succeeds', () => {
    const run = runVitestOn('passes');
    expect(run.status).toBe(0);
    expect(run.last).toBe('1 passed, 0 failed, 0 skipped');
  }, 60_000);

  it('when a step before the tests fails, then .ci/run still ends with a line counting a failure', () => {
    // The script's own trap, run as the script runs it, on a step that fails.
    const script = readFileSync(join(root, '.ci', 'run'), 'utf8');
    const trap =
      /tests_ran=false\n(closing_line_on_early_failure\(\) \{[\s\S]*?\n\})\ntrap closing_line_on_early_failure EXIT/.exec(
        script,
      )?.[1];
    expect(trap).toBeDefined();
    const run = spawnSync(
      'bash',
      ['-c', `set -euo pipefail\ntests_ran=false\n${trap}\ntrap closing_line_on_early_failure EXIT\necho typecheck\nfalse\n`],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(lastLineOf(run.stdout)).toBe('0 passed, 1 failed, 0 skipped');
  });
});
