import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the closing line CI reads: `N passed, N failed, N skipped`. In CI a skipped test is a gap
 * (a service was missing or a test was switched off), so the run fails when any test was skipped.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedNames: string[] = [];
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failedHere += 1;
        else {
          skipped += 1;
          skippedNames.push(`${module.moduleId} › ${test.fullName}`);
        }
      }
      // A file that failed outside its tests (a `beforeAll` that threw, an import that broke: its tests are then
      // reported skipped) counts as one failure, so that the line never reads « 0 failed » for a failed run.
      if (module.state() === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    failed += unhandledErrors.length;
    const ci = process.env.CI === 'true' || process.env.CI === '1';
    if (ci && skipped > 0) {
      process.stdout.write(`\nSkipped tests are not allowed in CI:\n${skippedNames.map((name) => `  - ${name}`).join('\n')}\n`);
      process.exitCode = 1;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
