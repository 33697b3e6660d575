/**
 * Every link of every e-mail leads somewhere: each mail the worker sends for a real case of the demo territory
 * is captured, and each of its links is followed by its own recipient, logged in, to a 200 page.
 */
import { randomUUID } from 'node:crypto';
import { agents, caseEvents, memberships } from '@parcours/db';
import { demoPassword } from '@parcours/demo-territory';
import { createLogger } from '@parcours/observability';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { and, eq, inArray } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWithThreeSentReferrals, createTerritoryWorld, emails, logInAs } from '../services/desk/test/territory-world.ts';
import { createMailJobHandlers } from '../services/worker/src/jobs/mail.jobs.ts';
import { createMailRenderer, mailTemplateNames } from '../services/worker/src/mail/mail.templates.ts';
import type { OutgoingMail } from '../services/worker/src/mail/mail.transport.ts';
import { sendReferralDigests } from '../services/worker/src/mail/referral-digest.ts';

const publicUrl = 'https://parcours.example.test';
let database: TestDatabase;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;
const sent: OutgoingMail[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
});
afterAll(async () => {
  await database?.close();
});

function linksOf(mail: OutgoingMail): string[] {
  return [...mail.html.matchAll(/href="([^"]+)"/g)].map((match) => match[1] as string);
}

describe('links in e-mails', () => {
  it('when each template is sent for a real case, then each link, followed by its recipient, opens a page', async () => {
    const reception = await logInAs(world.app, emails.reception);
    const { caseId, consentId, sent: referrals, scope } = await caseWithThreeSentReferrals(reception);
    const [receptionAgent] = await database.db
      .select({ id: agents.id })
      .from(agents)
      .where(inArray(agents.email, [emails.reception]));
    const mailDeps = {
      db: (await database.connectAsService()).db,
      logger: createLogger({ name: 'mail-links-test' }),
      renderer: createMailRenderer(),
      transport: {
        send: async (mail: OutgoingMail) => {
          sent.push(mail);
          return mail.messageId;
        },
        close: async () => {},
      },
      now: () => new Date('2026-03-10T09:00:00Z'),
      publicUrl,
    };
    const handlers = createMailJobHandlers(mailDeps);
    const job = () => ({ id: randomUUID() }) as never;
    const referralId = referrals.caf.id;
    await handlers['effect.notifyCaseAssigned'](
      { caseId, referralId: null, revision: 0, params: { agentId: receptionAgent?.id as string } },
      job(),
    );
    await handlers['effect.notifyDeadlinePassed'](
      { caseId, referralId: null, revision: 0, params: { stage: 'orientation' } },
      job(),
    );
    await handlers['effect.remindPartner']({ caseId, referralId, revision: 1, params: {} }, job());
    await handlers['effect.escalateToSenderSupervisor']({ caseId, referralId, revision: 1, params: {} }, job());
    await handlers['effect.notifyReferralAnswered']({ caseId, referralId, revision: 2, params: { status: 'accepted' } }, job());
    await handlers['effect.notifyReferralSent']({ caseId, referralId, revision: 1, params: {} }, job());
    // The partner agent switches to the half-day digest: the referrals it received are listed at the next one.
    const [partnerAgent] = await database.db.select({ id: agents.id }).from(agents).where(eq(agents.email, emails.partner));
    await database.db
      .update(memberships)
      .set({ referralMail: 'digest' })
      .where(eq(memberships.agentId, partnerAgent?.id as string));
    const [sentEvent] = await database.db
      .select({ at: caseEvents.at })
      .from(caseEvents)
      .where(and(eq(caseEvents.referralId, referralId), eq(caseEvents.eventType, 'SEND')));
    const dayAfter = new Date((sentEvent?.at as Date).getTime() + 20 * 60 * 60 * 1000);
    expect(await sendReferralDigests(mailDeps, dayAfter)).toBeGreaterThan(0);
    await handlers['consent.withdrawn'](
      { consentId, endedAt: '2026-03-10T09:00:00Z', recipientOrganisationIds: scope.recipientOrganisationIds },
      job(),
    );

    const templates = new Set(sent.map((mail) => mail.subject));
    expect(templates.size).toBeGreaterThanOrEqual(mailTemplateNames.length);
    const followed: string[] = [];
    for (const mail of sent) {
      const links = linksOf(mail);
      expect(links.length, mail.subject).toBeGreaterThan(0);
      const agent = request.agent(world.app);
      await agent.post('/api/v1/auth/login').send({ email: mail.to, password: demoPassword }).expect(200);
      for (const link of links) {
        expect(link.startsWith(`${publicUrl}/`), link).toBe(true);
        const page = await agent.get(link.slice(publicUrl.length));
        expect({ to: mail.to, subject: mail.subject, link, status: page.status }).toMatchObject({ status: 200 });
        followed.push(link);
      }
    }
    expect(followed.length).toBeGreaterThanOrEqual(mailTemplateNames.length);
  });
});
