import { describe } from 'vitest';
import { defineHandlerSuite, type RunnerUnderTest } from './handler.suite.ts';

/** The embedded default (`npm start`): the in-process runner on PGlite, through the same handler tests. */
const runners: RunnerUnderTest[] = [{ name: 'in-process', backend: 'pglite', redisUrl: null }];

describe.each(runners)('worker on the $name runner, $backend', (runner) => {
  defineHandlerSuite(runner);
});
