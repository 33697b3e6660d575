import { jobFailures, mailDeliveries, outbox } from '@parcours/db';
import { demoPassword } from '@parcours/demo-territory';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld, emails } from '../territory-world.ts';
import {
  expectNoAxeViolations,
  launchChromium,
  logIn,
  navigate,
  openContext,
  type ServedApp,
  screenshot,
  serve,
} from './browser-harness.ts';

/** « Exploitation » in a real browser: reachable from the navigation, axe-clean, a replay through its button. */
let database: TestDatabase;
let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  const world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  const [row] = await database.db
    .insert(outbox)
    .values({ jobName: 'effect.remindPartner', payload: {}, dispatchedAt: new Date(), completedAt: new Date() })
    .returning({ id: outbox.id });
  // One failure for each of the two runs below (a replayed failure leaves the list).
  for (const jobName of ['effect.remindPartner', 'timer.deliver']) {
    await database.db.insert(jobFailures).values({
      jobName,
      jobId: jobName === 'timer.deliver' ? 'timer:x:1' : (row?.id as string),
      payload: {},
      error: 'Error: mail not sent (554)',
      attempts: 8,
      poison: false,
      failedAt: new Date(),
    });
  }
  await database.db.insert(mailDeliveries).values({
    idempotencyKey: `${row?.id}:referral-reminder:someone`,
    template: 'referral-reminder',
    status: 'uncertain',
    attempts: 1,
    lastError: 'the worker stopped while sending',
  });
  [served, browser] = await Promise.all([serve(world.app), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

describe('« Exploitation » in the browser', () => {
  for (const javaScript of [true, false]) {
    it(`when an admin opens it from the navigation ${javaScript ? 'with' : 'without'} JavaScript, then both lists show, axe finds nothing, and a replay says so`, async () => {
      const watched = await openContext(browser, served.baseUrl, { javaScript });
      const { page } = watched;
      await logIn(page, emails.admin, demoPassword);
      await navigate(
        page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Exploitation' }).first(),
      );
      expect(new URL(page.url()).pathname).toBe('/exploitation');
      await expect.poll(() => page.locator('table').count()).toBe(2);
      if (javaScript) await expectNoAxeViolations(page, 'exploitation');
      await screenshot(page, `${javaScript ? '' : 'sans-js-'}exploitation`);
      await navigate(page.getByRole('button', { name: /^Rejouer/ }).first());
      await expect.poll(async () => page.locator('main').textContent()).toMatch(/remise en file|déjà été rejouée/);
      await watched.context.close();
    });
  }
});
