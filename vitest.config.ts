import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    globalSetup: ['packages/testing/src/global-setup.ts'],
    reporters: ['default', './packages/testing/src/summary-reporter.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // `expect.poll` waits on what a page or a worker shows; vitest's 1 s default fails a busy machine, not the code.
    // The ceiling matches the browser steps' (`browserStepCeilingMs`); a poll that succeeds returns at once.
    expect: { poll: { timeout: 60_000, interval: 50 } },
  },
});
