import { defineConfig } from 'vitest/config';

/** The fixtures of `test/ci-summary.test.ts`: run on their own, with the reporter CI reads. */
export default defineConfig({
  test: {
    include: ['test/ci-summary-fixtures/*.fixture.ts'],
    reporters: ['./packages/testing/src/summary-reporter.ts'],
    pool: 'forks',
  },
});
