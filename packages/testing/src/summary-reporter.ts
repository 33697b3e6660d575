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
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else {
          skipped += 1;
          skippedNames.push(`${module.moduleId} › ${test.fullName}`);
        }
      }
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
