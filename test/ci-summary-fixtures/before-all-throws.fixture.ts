import { beforeAll, expect, it } from 'vitest';

// A file whose set-up fails: its two tests never run (vitest reports them skipped).
beforeAll(() => {
  throw new Error('the set-up failed on purpose');
});
it('first', () => expect(1).toBe(1));
it('second', () => expect(1).toBe(1));
