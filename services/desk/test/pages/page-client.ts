import { multidimensionalFormV1 } from '@parcours/assessment';
import { demoPassword } from '@parcours/demo-territory';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';
import { openLaragneCase } from '../territory-world.ts';

/** The `_csrf` value of the first form of a page. */
export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token in the page');
  return token;
}

/** A browser-like client of the demo territory: keeps cookies, logs in through the login form. */
export async function logInThroughForm(app: Express, email: string): Promise<TestAgent> {
  const client = request.agent(app);
  const page = await client.get('/connexion').expect(200);
  await client
    .post('/connexion')
    .type('form')
    .send({ _csrf: csrfOf(page.text), email, password: demoPassword })
    .expect(303);
  return client;
}

type Needs = Record<string, { level: string; urgency?: string; note?: string }>;

/** The assessment form's fields: every domain « pas de besoin », then the given needs. */
export function assessmentFields(needs: Needs = {}): Record<string, string> {
  const fields: Record<string, string> = { demande: 'Je dois quitter mon logement et je cherche du travail' };
  for (const domain of multidimensionalFormV1.domains) fields[`niveau.${domain.code}`] = 'none';
  for (const [code, answer] of Object.entries(needs)) {
    fields[`niveau.${code}`] = answer.level;
    if (answer.urgency) fields[`urgence.${code}`] = answer.urgency;
    if (answer.note) fields[`note.${code}`] = answer.note;
  }
  return fields;
}

/** A Laragne case in assessment, with a draft started from its page, and the draft's form page. */
export async function draftOnPage(client: TestAgent) {
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

/** A Laragne case whose assessment was completed through the form (housing severe, employment moderate). */
export async function assessedOnPage(client: TestAgent) {
  const draft = await draftOnPage(client);
  await client
    .post(draft.formPath)
    .type('form')
    .send({
      _csrf: csrfOf(draft.form.text),
      ...assessmentFields({
        housing: { level: 'severe', urgency: 'urgent' },
        employment: { level: 'moderate', urgency: 'soon' },
      }),
      terminer: 'oui',
    })
    .expect(303)
    .expect('location', `${draft.formPath}/synthese`);
  return draft;
}
