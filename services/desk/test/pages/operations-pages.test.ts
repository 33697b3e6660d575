import { auditEvents, jobFailures, mailDeliveries, outbox } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld, emails } from '../territory-world.ts';
import { csrfOf, logInThroughForm } from './page-client.ts';

/** « Exploitation »: an admin sees what failed for good and what mail was not delivered, and puts it right once. */
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ app } = await createTerritoryWorld(database.db, (await database.connectAsService()).db));
});
afterAll(async () => {
  await database?.close();
});

describe('operations page', () => {
  it('when an admin opens it, then failed jobs and uncertain mail are listed, a replay and a resend act once, each audited', async () => {
    const [row] = await database.db
      .insert(outbox)
      .values({
        jobName: 'effect.notifyCaseAssigned',
        payload: { caseId: null },
        dispatchedAt: new Date(),
        completedAt: new Date(),
      })
      .returning({ id: outbox.id });
    const [failure] = await database.db
      .insert(jobFailures)
      .values({
        jobName: 'effect.notifyCaseAssigned',
        jobId: row?.id as string,
        payload: {},
        error: 'Error: mail not sent (554)',
        attempts: 8,
        poison: false,
        failedAt: new Date(),
      })
      .returning({ id: jobFailures.id });
    const [mail] = await database.db
      .insert(mailDeliveries)
      .values({
        idempotencyKey: `${row?.id}:case-assigned:someone`,
        template: 'case-assigned',
        status: 'uncertain',
        attempts: 1,
        lastError: 'the worker stopped while sending',
      })
      .returning({ id: mailDeliveries.id });

    const admin = await logInThroughForm(app, emails.admin);
    const page = await admin.get('/exploitation').expect(200);
    expect(page.text).toContain('href="/exploitation"');
    expect(page.text).toContain('effect.notifyCaseAssigned');
    expect(page.text).toContain('mail not sent (554)');
    expect(page.text).toContain('Incertain');

    const replayed = await admin
      .post(`/exploitation/echecs/${failure?.id}/rejeu`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(replayed.headers.location).toBe('/exploitation');
    expect((await admin.get('/exploitation').expect(200)).text).toContain('remise en file');
    const [owed] = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.id, row?.id as string));
    expect(owed).toMatchObject({ dispatchedAt: null, completedAt: null });
    await admin
      .post(`/exploitation/echecs/${failure?.id}/rejeu`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect((await admin.get('/exploitation').expect(200)).text).toContain('déjà été rejouée');

    await admin
      .post(`/exploitation/courriels/${mail?.id}/renvoi`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    const [resent] = await database.db
      .select()
      .from(mailDeliveries)
      .where(eq(mailDeliveries.id, mail?.id as string));
    expect(resent?.status).toBe('failed');
    const audited = await database.db
      .select({ action: auditEvents.action, outcome: auditEvents.outcome })
      .from(auditEvents)
      .where(inArray(auditEvents.action, ['job.replay', 'mail.resend']))
      .orderBy(asc(auditEvents.sequence));
    expect(audited).toEqual([
      { action: 'job.replay', outcome: 'allowed' },
      { action: 'job.replay', outcome: 'denied' },
      { action: 'mail.resend', outcome: 'allowed' },
    ]);
  });

  it('when an agent without the admin role asks for it, then 403, and the navigation does not offer it', async () => {
    const reception = await logInThroughForm(app, emails.reception);
    await reception.get('/exploitation').expect(403);
    expect((await reception.get('/mon-travail').expect(200)).text).not.toContain('href="/exploitation"');
    const page = await reception.get('/mon-travail');
    await reception
      .post('/exploitation/courriels/00000000-0000-4000-8000-000000000000/renvoi')
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(403);
  });
});
