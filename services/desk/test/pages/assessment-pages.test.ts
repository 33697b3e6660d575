import { multidimensionalFormV1 } from '@parcours/assessment';
import { assessments, orientationChoices, referrals } from '@parcours/db';
import { demoPassword } from '@parcours/demo-territory';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { count, eq } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld, emails, openLaragneCase } from '../territory-world.ts';

let database: TestDatabase;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;
let app: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db);
  app = world.app;
});
afterAll(async () => {
  await database?.close();
});

function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token in the page');
  return token;
}

async function logInThroughForm(email: string): Promise<TestAgent> {
  const client = request.agent(app);
  const page = await client.get('/connexion').expect(200);
  await client
    .post('/connexion')
    .type('form')
    .send({ _csrf: csrfOf(page.text), email, password: demoPassword })
    .expect(303);
  return client;
}

/** Every domain answered « pas de besoin », then the given ones. */
function formAnswers(needs: Record<string, { level: string; urgency?: string; note?: string }> = {}) {
  const fields: Record<string, string | string[]> = {};
  for (const domain of multidimensionalFormV1.domains) fields[`niveau.${domain.code}`] = 'none';
  for (const [code, answer] of Object.entries(needs)) {
    fields[`niveau.${code}`] = answer.level;
    if (answer.urgency) fields[`urgence.${code}`] = answer.urgency;
    if (answer.note) fields[`note.${code}`] = answer.note;
  }
  return fields;
}

/** A Laragne case in assessment, and the agent on its draft's form page. */
async function draftOnPage(client: TestAgent) {
  const { caseId } = await openLaragneCase(client);
  const hub = await client.get(`/dossiers/${caseId}/evaluation`).expect(200);
  expect(hub.text).toContain('Commencer l’évaluation');
  const started = await client
    .post(`/dossiers/${caseId}/evaluations`)
    .type('form')
    .send({ _csrf: csrfOf(hub.text) })
    .expect(303);
  const formPath = started.headers.location as string;
  expect(formPath).toMatch(/^\/evaluations\/[0-9a-f-]{36}$/);
  const form = await client.get(formPath).expect(200);
  return { caseId, formPath, assessmentId: formPath.split('/')[2] as string, form };
}

describe('assessment pages', () => {
  it('when an agent fills a section and presses its « Enregistrer », then the draft is saved and the page comes back at that section', async () => {
    const client = await logInThroughForm(emails.reception);
    const { formPath, assessmentId, form } = await draftOnPage(client);
    expect(form.text).toContain(
      '<legend class="fr-fieldset__legend fr-text--regular" id="niveau-housing-legende">Niveau de besoin — Logement</legend>',
    );
    expect(form.text).toContain('Je dois quitter mon logement');
    expect(form.text).toMatch(/id="section-maia"[^>]*hidden/);
    const saved = await client
      .post(formPath)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        demande: 'Je dois quitter mon logement',
        'niveau.housing': 'severe',
        'urgence.housing': 'urgent',
        'note.housing': 'Congé du bailleur',
        section: 'housing',
      })
      .expect(303);
    expect(saved.headers.location).toBe(`${formPath}#section-housing`);
    const [row] = await database.db.select().from(assessments).where(eq(assessments.id, assessmentId));
    expect((row?.answers as { needs: Record<string, unknown> }).needs.housing).toEqual({
      level: 'severe',
      urgency: 'urgent',
      note: 'Congé du bailleur',
    });
    const again = await client.get(formPath).expect(200);
    expect(again.text).toContain('Brouillon enregistré');
    expect(again.text).toMatch(/id="niveau-housing-severe" name="niveau.housing" value="severe" checked/);
  });
});
