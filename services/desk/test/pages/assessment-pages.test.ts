import { assessments, cases } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld, emails } from '../territory-world.ts';
import { assessedOnPage, assessmentFields, csrfOf, draftOnPage, logInThroughForm } from './page-client.ts';

let database: TestDatabase;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db);
});
afterAll(async () => {
  await database?.close();
});

const storedAnswers = async (assessmentId: string) => {
  const [row] = await database.db.select().from(assessments).where(eq(assessments.id, assessmentId));
  return row as typeof assessments.$inferSelect;
};

describe('assessment pages: the form', () => {
  it('when an agent fills a section and presses its « Enregistrer », then the draft is saved and the page comes back at that section', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { formPath, assessmentId, form } = await draftOnPage(client);
    expect(form.text).toContain('id="niveau-housing-legende">Niveau de besoin — Logement</legend>');
    expect(form.text).toContain('Je dois quitter mon logement');
    expect(form.text).toMatch(/id="section-maia"[^>]*hidden/);
    expect(form.text).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>|style="|<style/);
    const saved = await client
      .post(formPath)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        demande: 'Je dois quitter mon logement',
        'niveau.housing': 'severe',
        'urgence.housing': 'urgent',
        'note.housing': 'Congé du bailleur',
        droits: ['apl', 'fsl'],
        section: 'housing',
      })
      .expect(303);
    expect(saved.headers.location).toBe(`${formPath}#section-housing`);
    const row = await storedAnswers(assessmentId);
    expect((row.answers as { needs: Record<string, unknown> }).needs.housing).toEqual({
      level: 'severe',
      urgency: 'urgent',
      note: 'Congé du bailleur',
    });
    expect((row.potentialRights as Array<{ right: string }>).map((right) => right.right)).toEqual(['apl', 'fsl']);
    const again = await client.get(formPath).expect(200);
    expect(again.text).toContain('Brouillon enregistré');
    expect(again.text).toMatch(/id="niveau-housing-severe" name="niveau.housing" value="severe" checked/);
    expect(again.text).toMatch(/id="droit-apl" name="droits" value="apl" checked/);
  });

  it('when a note is written without a need level, then 400 with an error summary linking to the level, and nothing is saved', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { formPath, assessmentId, form } = await draftOnPage(client);
    const before = await storedAnswers(assessmentId);
    const refused = await client
      .post(formPath)
      .type('form')
      .send({ _csrf: csrfOf(form.text), demande: 'Aide', 'note.mobility': 'Pas de voiture', section: 'mobility' })
      .expect(400);
    expect(refused.text).toContain('<title>Erreurs — évaluation de la situation — Parcours</title>');
    expect(refused.text).toContain('<a href="#niveau-mobility-none">Niveau de besoin à choisir pour « mobilité ».</a>');
    expect(refused.text).toContain('Pas de voiture');
    expect((await storedAnswers(assessmentId)).updatedAt).toEqual(before.updatedAt);
  });

  it('when « Terminer » is pressed with answers missing, then 400 lists every missing answer with a link to its field, and the draft stays a draft', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { formPath, assessmentId, form } = await draftOnPage(client);
    const refused = await client
      .post(formPath)
      .type('form')
      .send({ _csrf: csrfOf(form.text), demande: '', 'niveau.housing': 'severe', terminer: 'oui' })
      .expect(400);
    expect(refused.text).toContain('<a href="#demande-texte">Demande exprimée par la personne non renseignée.</a>');
    expect(refused.text).toContain('<a href="#urgence-housing-routine">Urgence à préciser pour le besoin « logement ».</a>');
    expect(refused.text).toContain('<a href="#niveau-employment-none">Domaine non renseigné : Emploi.</a>');
    expect(refused.text).toMatch(/id="niveau-housing-severe" name="niveau.housing" value="severe" checked/);
    expect((await storedAnswers(assessmentId)).status).toBe('draft');
  });

  it('when autonomy is severe, then the MAIA block is required; all three criteria met proposes « Entrer en gestion de cas », which moves the journey', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { caseId, formPath, form } = await draftOnPage(client);
    const fields = assessmentFields({ autonomy: { level: 'severe', urgency: 'soon', note: 'Chutes répétées' } });
    const missing = await client
      .post(formPath)
      .type('form')
      .send({ _csrf: csrfOf(form.text), ...fields, terminer: 'oui' })
      .expect(400);
    expect(missing.text).not.toMatch(/id="section-maia"[^>]*hidden/);
    expect(missing.text).toContain('href="#maia-functionalProblems-oui"');
    await client
      .post(formPath)
      .type('form')
      .send({
        _csrf: csrfOf(missing.text),
        ...fields,
        'maia.functionalProblems': 'oui',
        'maia.medicalProblems': 'oui',
        'maia.decisionMakingProblems': 'oui',
        'maia.helpInPlaceInsufficient': 'oui',
        'maia.closeCircleAbleToCoordinate': 'non',
        terminer: 'oui',
      })
      .expect(303)
      .expect('location', `${formPath}/synthese`);
    const summary = await client.get(`${formPath}/synthese`).expect(200);
    expect(summary.text).toContain('Évaluation terminée : le dossier passe à l’orientation.');
    expect(summary.text).toContain('Les trois critères sont réunis');
    expect(summary.text).toContain('Donnée de santé');
    expect(summary.text).toContain('Chutes répétées');
    const revision = /name="expectedRevision" value="(\d+)"/.exec(summary.text)?.[1];
    await client
      .post(`/dossiers/${caseId}/evenements`)
      .type('form')
      .send({ _csrf: csrfOf(summary.text), type: 'ENTER_CASE_MANAGEMENT', expectedRevision: revision })
      .expect(303);
    const [row] = await database.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row?.stage).toBe('caseManagement');
  });

  it('when a draft already exists and « Commencer » is pressed again, then the agent is sent to that draft, not a second one', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { caseId, formPath, form } = await draftOnPage(client);
    await client
      .post(`/dossiers/${caseId}/evaluations`)
      .type('form')
      .send({ _csrf: csrfOf(form.text) })
      .expect(303)
      .expect('location', `/dossiers/${caseId}/evaluation`);
    await client.get(`/dossiers/${caseId}/evaluation`).expect(303).expect('location', formPath);
    expect(await database.db.select().from(assessments).where(eq(assessments.caseId, caseId))).toHaveLength(1);
  });
});

describe('assessment pages: the summary', () => {
  it('when the assessment is completed, then the summary groups needs by urgency, and a right is followed up to a refusal with its non-take-up reason', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { formPath, form } = await draftOnPage(client);
    await client
      .post(formPath)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        ...assessmentFields({
          housing: { level: 'severe', urgency: 'urgent' },
          employment: { level: 'moderate', urgency: 'soon' },
        }),
        droits: 'apl',
        terminer: 'oui',
      })
      .expect(303);
    const summary = await client.get(`${formPath}/synthese`).expect(200);
    expect(summary.text.indexOf('Urgent')).toBeLessThan(summary.text.indexOf('À traiter rapidement'));
    expect(summary.text).toMatch(/<strong>Logement<\/strong> — besoin sévère/);
    expect(summary.text).toContain('Suivi : <strong>Repéré</strong>');

    const missingReason = await client
      .post(`${formPath}/droits/apl`)
      .type('form')
      .send({ _csrf: csrfOf(summary.text), statut: 'refused', motif: '' })
      .expect(400);
    expect(missingReason.text).toContain('Choisissez le motif de non-recours');
    await client
      .post(`${formPath}/droits/apl`)
      .type('form')
      .send({ _csrf: csrfOf(missingReason.text), statut: 'refused', motif: 'non_reception' })
      .expect(303)
      .expect('location', `${formPath}/synthese#droit-apl`);
    const followed = await client.get(`${formPath}/synthese`).expect(200);
    expect(followed.text).toContain('Suivi : <strong>Refusé</strong> — Non-réception');
  });

  it('when the situation is reassessed, then the new assessment supersedes the old one, which stays in the history', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const first = await assessedOnPage(client);
    const summary = await client.get(`${first.formPath}/synthese`).expect(200);
    const second = await client
      .post(`/dossiers/${first.caseId}/evaluations`)
      .type('form')
      .send({ _csrf: csrfOf(summary.text) })
      .expect(303);
    const form = await client.get(second.headers.location as string).expect(200);
    expect(form.text).toMatch(/id="niveau-housing-severe" name="niveau.housing" value="severe" checked/);
    await client
      .post(second.headers.location as string)
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        ...assessmentFields({ housing: { level: 'light', urgency: 'routine' } }),
        terminer: 'oui',
      })
      .expect(303);
    const current = await client.get(`${second.headers.location}/synthese`).expect(200);
    expect(current.text).toContain(`<a href="${first.formPath}/synthese">Remplacée</a>`);
    const old = await client.get(`${first.formPath}/synthese`).expect(200);
    expect(old.text).toContain('Cette évaluation a été remplacée');
    expect(old.text).not.toContain('Réévaluer la situation');
  });

  it('when an agent of another organisation asks for the form or the summary, then a 404 page that names nobody', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { formPath } = await draftOnPage(client);
    const foreign = await logInThroughForm(world.app, emails.foreign);
    for (const path of [formPath, `${formPath}/synthese`]) {
      const response = await foreign.get(path).expect(404);
      expect(response.text).toContain('Page introuvable');
      expect(response.text).not.toContain('REY');
    }
  });
});
