import { agents, caseEvents, consents, memberships, partnerLinks, referrals } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { and, count, eq } from 'drizzle-orm';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld, emails, logInAs, openLaragneCase, recordConsentThroughApi } from '../territory-world.ts';
import { csrfOf, logInThroughForm } from './page-client.ts';

let database: TestDatabase;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
});
afterAll(async () => {
  await database?.close();
});

/** A form body with repeated fields (checkboxes), as a browser sends it. */
function formOf(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  return params.toString();
}

/** A Laragne case in orientation with a draft referral to the CAF (identity, contact, situation summary), through the API. */
async function caseWithDraftToCaf() {
  const api = await logInAs(world.app, emails.reception);
  const { caseId, personId } = await openLaragneCase(api, ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT']);
  const chosen = await api
    .post(`/api/v1/cases/${caseId}/orientation-choices`)
    .send({ serviceId: 'caf-acces-droits', reasonCode: 'person_preference', reasonText: 'Dossier CAF déjà ouvert' })
    .expect(201);
  return { caseId, personId, referralId: chosen.body.referral.id as string };
}

const statusOf = async (referralId: string) =>
  (await database.db.select({ status: referrals.status }).from(referrals).where(eq(referrals.id, referralId)))[0]?.status;
const consentCount = async () => (await database.db.select({ n: count() }).from(consents))[0]?.n ?? 0;
/** Handlebars escapes `=` and `&` in attributes; browsers read them back. */
const decoded = (html: string) => html.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
const hidden = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`name="${name}" value="([^"]+)"`, 'g'))].map((m) => m[1] as string);

describe('consent, referral and partner pages', () => {
  let reception: TestAgent;
  let partner: TestAgent;
  let caseId = '';
  let referralId = '';

  beforeAll(async () => {
    ({ caseId, referralId } = await caseWithDraftToCaf());
    [reception, partner] = await Promise.all([
      logInThroughForm(world.app, emails.reception),
      logInThroughForm(world.app, emails.partner),
    ]);
  });

  it('when a draft is sent without consent, then 422 lists what is not covered and offers the consent, and nothing is sent', async () => {
    const page = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    expect(page.text).toContain('Envoyer à CAF des Hautes-Alpes');
    const refused = await reception
      .post(`/orientations/${referralId}/envoi`)
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(page.text),
          dossier: caseId,
          expectedRevision: hidden(page.text, 'expectedRevision')[0] as string,
          categorie: ['identity', 'contact', 'situation_summary'],
        }),
      )
      .expect(422);
    expect(refused.text).toContain('le consentement de la personne ne couvre pas ce partage');
    expect(refused.text).toContain('la structure destinataire : CAF des Hautes-Alpes');
    expect(refused.text).toContain('la finalité : Ouverture de droits');
    expect(decoded(refused.text)).toMatch(/href="\/dossiers\/[0-9a-f-]{36}\/consentements\?portee=1&destinataire=/);
    expect(await statusOf(referralId)).toBe('draft');
  });

  it('when the consent page opens, then the drafts’ scope is ticked and its exact notice shown; without the four ticks nothing is recorded', async () => {
    const page = await reception.get(`/dossiers/${caseId}/consentements`).expect(200);
    expect(page.text).toContain('Partage de vos informations entre structures');
    expect(page.text).toContain('- CAF des Hautes-Alpes');
    expect(page.text).toMatch(/id="finalite-rights_opening" name="finalite" value="rights_opening" checked/);
    expect(decoded(page.text)).toContain('/api/v1/consent-notice?recipientOrganisationIds=');
    const sha = hidden(page.text, 'noticeSha256')[0] as string;
    const base = {
      _csrf: csrfOf(page.text),
      decision: 'consent',
      retour: 'orientations',
      noticeVersion: '1',
      noticeSha256: sha,
      destinataire: hidden(page.text, 'destinataire'),
      finalite: ['rights_opening'],
      categorie: ['identity', 'contact', 'situation_summary'],
      donnePar: 'person',
    };
    const before = await consentCount();
    const incomplete = await reception
      .post(`/dossiers/${caseId}/consentements`)
      .type('form')
      .send(formOf({ ...base, infoQuoi: 'oui', infoQui: 'oui' }))
      .expect(400);
    expect(incomplete.text).toContain('manque : par quel moyen, avec quelle sécurité');
    expect(incomplete.text).toContain('Choisissez comment la personne a donné son accord.');
    expect(incomplete.text).toContain('href="#consentement-infoQuoi"');
    // A scope other than the notice's: the hash no longer matches.
    const mismatch = await reception
      .post(`/dossiers/${caseId}/consentements`)
      .type('form')
      .send(
        formOf({
          ...base,
          categorie: ['identity'],
          infoQuoi: 'oui',
          infoQui: 'oui',
          infoMoyens: 'oui',
          infoSecurite: 'oui',
          methode: 'oral_attested',
        }),
      )
      .expect(422);
    expect(mismatch.text).toContain('La notice d’information montrée ne correspond pas à ce partage');
    expect(await consentCount()).toBe(before);

    await reception
      .post(`/dossiers/${caseId}/consentements`)
      .type('form')
      .send(
        formOf({ ...base, infoQuoi: 'oui', infoQui: 'oui', infoMoyens: 'oui', infoSecurite: 'oui', methode: 'oral_attested' }),
      )
      .expect(303)
      .expect('location', `/dossiers/${caseId}/orientations-partenaires`);
    expect(await consentCount()).toBe(before + 1);
  });

  it('when the draft is sent with the consent, then the partner finds it in its inbox, reads only the covered categories, accepts and sets an appointment the referrer sees', async () => {
    const page = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    await reception
      .post(`/orientations/${referralId}/envoi`)
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(page.text),
          dossier: caseId,
          expectedRevision: hidden(page.text, 'expectedRevision')[0] as string,
          categorie: ['identity', 'contact', 'situation_summary'],
        }),
      )
      .expect(303);
    expect(await statusOf(referralId)).toBe('sent');

    const inbox = await partner.get('/partenaire/orientations').expect(200);
    expect(inbox.text).toContain(`href="/partenaire/orientations/${referralId}"`);
    expect(inbox.text).toContain('Nouvelle');
    const filtered = await partner.get('/partenaire/orientations?portee=open&statut=accepted').expect(200);
    expect(filtered.text).not.toContain(`href="/partenaire/orientations/${referralId}"`);

    const read = await partner.get(`/partenaire/orientations/${referralId}`).expect(200);
    expect(read.text).toContain('Rey');
    expect(read.text).toContain('Je dois quitter mon logement');
    expect(read.text).not.toContain('Évaluation (hors santé)</h3>');
    expect(read.text).not.toContain('Santé et autonomie</h3>');
    await partner
      .post(`/partenaire/orientations/${referralId}/reponses`)
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(read.text),
          expectedRevision: hidden(read.text, 'expectedRevision')[0] as string,
          type: 'ACCEPT',
          conditions: 'Apporter l’avis d’imposition',
        }),
      )
      .expect(303);
    const accepted = await partner.get(`/partenaire/orientations/${referralId}`).expect(200);
    const revision = hidden(accepted.text, 'expectedRevision')[0] as string;
    const missing = await partner
      .post(`/partenaire/orientations/${referralId}/reponses`)
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(accepted.text),
          expectedRevision: revision,
          type: 'SET_APPOINTMENT',
          date: '',
          heure: '',
          mode: '',
        }),
      )
      .expect(400);
    expect(missing.text).toContain('Saisissez la date et l’heure du rendez-vous.');
    const withoutPoint = await partner
      .post(`/partenaire/orientations/${referralId}/reponses`)
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(accepted.text),
          expectedRevision: revision,
          type: 'SET_APPOINTMENT',
          date: '2026-03-10',
          heure: '14:30',
          mode: 'visio',
        }),
      )
      .expect(400);
    expect(withoutPoint.text).toContain('Un rendez-vous en visio se tient dans un point d’accueil : choisissez lequel.');
    const receptionPoint = /<option value="([0-9a-f-]{36})">France Services de Laragne-Montéglin<\/option>/.exec(
      accepted.text,
    )?.[1];
    expect(receptionPoint).toBeDefined();
    // A date before today, typed past the field's `min`, is refused by the server beside the date field.
    const past = await partner
      .post(`/partenaire/orientations/${referralId}/reponses`)
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(accepted.text),
          expectedRevision: revision,
          type: 'SET_APPOINTMENT',
          date: '2019-01-05',
          heure: '09:30',
          mode: 'in_person',
        }),
      )
      .expect(400);
    expect(past.text).toMatch(/id="reponse-SET_APPOINTMENT-date-messages"[\s\S]*La date du rendez-vous est passée/);
    expect(past.text).toContain('value="2019-01-05"');
    expect(await statusOf(referralId)).toBe('accepted');
    await partner
      .post(`/partenaire/orientations/${referralId}/reponses`)
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(accepted.text),
          expectedRevision: revision,
          type: 'SET_APPOINTMENT',
          date: '2026-03-10',
          heure: '14:30',
          mode: 'visio',
          pointAccueil: receptionPoint as string,
        }),
      )
      .expect(303);
    expect(await statusOf(referralId)).toBe('appointmentSet');

    const seen = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    expect(seen.text).toContain('Rendez-vous fixé');
    expect(seen.text).toContain('En visio depuis France Services de Laragne-Montéglin');
    expect(seen.text).toContain('Acceptée sous conditions : « Apporter l’avis d’imposition »');
    expect(seen.text).toMatch(
      /Rendez-vous le <time datetime="2026-03-10T13:30:00.000Z">10 mars 2026 à 14:30<\/time> — En visio depuis France Services de Laragne-Montéglin/,
    );
  });

  it('when a link is issued, then a partner without an account opens it by pasting its code; a tampered code is refused', async () => {
    const page = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    const issued = await reception
      .post(`/orientations/${referralId}/lien-partenaire`)
      .type('form')
      .send(formOf({ _csrf: csrfOf(page.text), dossier: caseId }))
      .expect(200);
    const url = /id="lien-partenaire" value="([^"]+)"/.exec(issued.text)?.[1] ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/partenaire\/lien#[0-9a-f-]{36}\./);
    const code = url.split('#')[1] as string;
    expect(await database.db.select({ n: count() }).from(partnerLinks).where(eq(partnerLinks.referralId, referralId))).toEqual([
      { n: 1 },
    ]);

    const outsider = request.agent(world.app);
    const form = await outsider.get('/partenaire/lien').expect(200);
    expect(form.text).toContain('JavaScript est désactivé : collez le code du lien');
    expect(form.text).toMatch(/<script src="\/static\/desk\/partner-link\.[0-9a-f]{12}\.js" defer><\/script>/);
    const opened = await outsider
      .post('/partenaire/lien')
      .type('form')
      .send({ _csrf: csrfOf(form.text), code })
      .expect(200);
    expect(opened.text).toContain('Rey');
    expect(opened.text).toContain('Fixer le rendez-vous');
    expect(opened.text).not.toContain('Réorienter');
    const tampered = await outsider
      .post('/partenaire/lien')
      .type('form')
      .send({ _csrf: csrfOf(form.text), code: `${code.slice(0, -2)}xx` })
      .expect(403);
    expect(tampered.text).toContain('Ce lien n’est pas valide');

    // The answer form the link's page carries: incomplete, then a new appointment, after which the link is spent.
    const revisionOnPage = hidden(opened.text, 'expectedRevision')[0] as string;
    const incomplete = await outsider
      .post('/partenaire/lien/reponse')
      .type('form')
      .send(formOf({ _csrf: csrfOf(opened.text), expectedRevision: revisionOnPage, type: 'SET_APPOINTMENT' }))
      .expect(400);
    expect(incomplete.text).toContain('Le formulaire est incomplet. Rouvrez le lien et recommencez.');
    const withoutDate = await outsider
      .post('/partenaire/lien/reponse')
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(opened.text),
          code,
          expectedRevision: revisionOnPage,
          type: 'SET_APPOINTMENT',
          date: '',
          heure: '',
          mode: '',
        }),
      )
      .expect(400);
    expect(withoutDate.text).toContain('Saisissez la date et l’heure du rendez-vous.');
    const answered = await outsider
      .post('/partenaire/lien/reponse')
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(opened.text),
          code,
          expectedRevision: revisionOnPage,
          type: 'SET_APPOINTMENT',
          date: '2026-03-24',
          heure: '09:15',
          mode: 'in_person',
        }),
      )
      .expect(200);
    expect(answered.text).toContain('Réponse enregistrée');
    expect(answered.text).toContain('Ce lien a servi : il ne donne plus accès au dossier.');
    const appointments = await database.db
      .select({ payload: caseEvents.payload })
      .from(caseEvents)
      .where(and(eq(caseEvents.referralId, referralId), eq(caseEvents.eventType, 'SET_APPOINTMENT')));
    expect(appointments.map((event) => JSON.stringify(event.payload)).join(' ')).toContain('2026-03-24T08:15:00.000Z');
    const spent = await outsider
      .post('/partenaire/lien')
      .type('form')
      .send({ _csrf: csrfOf(form.text), code })
      .expect(403);
    expect(spent.text).not.toContain('Fixer le rendez-vous');
  });

  it('when the consent is withdrawn, then the partner’s next page load and the link are refused', async () => {
    const [consent] = await database.db.select({ id: consents.id }).from(consents).where(eq(consents.caseId, caseId));
    const page = await reception.get(`/dossiers/${caseId}/consentements`).expect(200);
    await reception
      .post(`/consentements/${consent?.id}/retrait`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), dossier: caseId, retirePar: 'person', canal: 'phone' })
      .expect(303);
    const list = await reception.get(`/dossiers/${caseId}/consentements`).expect(200);
    expect(list.text).toContain('Personne, par téléphone'.replace('Personne', 'La personne'));
    const refused = await partner.get(`/partenaire/orientations/${referralId}`).expect(404);
    expect(refused.text).toContain('le consentement de la personne ne couvre plus votre structure');
    const inbox = await partner.get('/partenaire/orientations').expect(200);
    expect(inbox.text).toContain('Accès fermé');
  });
});

describe('the partner’s choice of mails about new referrals', () => {
  it('when the partner chooses the half-day digest on its inbox, then it is kept for its membership; a bad choice is refused in French and changes nothing', async () => {
    const partner = await logInThroughForm(world.app, emails.partner);
    const inbox = await partner.get('/partenaire/orientations').expect(200);
    expect(inbox.text).toContain('Un courriel par orientation');
    expect(inbox.text).toMatch(/id="courriels-each" name="mode" value="each" checked/);
    const saved = await partner
      .post('/partenaire/courriels')
      .type('form')
      .send({ _csrf: csrfOf(inbox.text), mode: 'digest' })
      .expect(303);
    expect(saved.headers.location).toBe('/partenaire/orientations#courriels');
    const after = await partner.get('/partenaire/orientations').expect(200);
    expect(after.text).toContain('vous recevrez un récapitulatif à 8 h et à 13 h');
    expect(after.text).toMatch(/id="courriels-digest" name="mode" value="digest" checked/);
    const modeOf = async () =>
      (
        await database.db
          .select({ mode: memberships.referralMail })
          .from(memberships)
          .innerJoin(agents, eq(agents.id, memberships.agentId))
          .where(eq(agents.email, emails.partner))
      )[0]?.mode;
    expect(await modeOf()).toBe('digest');
    const refused = await partner
      .post('/partenaire/courriels')
      .type('form')
      .send({ _csrf: csrfOf(after.text), mode: 'weekly' })
      .expect(400);
    expect(refused.text).toContain('Choisissez un courriel par orientation ou un récapitulatif par demi-journée.');
    expect(await modeOf()).toBe('digest');
    // The API says the same, and sets it back.
    const api = await logInAs(world.app, emails.partner);
    expect((await api.get('/api/v1/partner/referral-mail').expect(200)).body).toEqual({ mode: 'digest' });
    expect((await api.post('/api/v1/partner/referral-mail').send({ mode: 'each' }).expect(200)).body).toEqual({ mode: 'each' });
    expect(await modeOf()).toBe('each');
    // A reception agent (no partner role) is not offered the choice.
    const reception = await logInThroughForm(world.app, emails.reception);
    expect((await reception.get('/partenaire/orientations').expect(200)).text).not.toContain('Un courriel par orientation');
  });
});

describe('référent handover page', () => {
  it('when the référent hands the case over through the page, then both organisations read « Dernier relais » with its note, as the production login role', async () => {
    const api = await logInAs(world.app, emails.reception);
    const { caseId, personId } = await openLaragneCase(api, ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT']);
    const ccasId = world.organisationIds['ccas-gap'] as string;
    const scope = {
      recipientOrganisationIds: [ccasId],
      purposes: ['social_support'],
      categories: ['identity', 'situation_summary'],
    };
    await recordConsentThroughApi(api, personId, scope);

    const reception = await logInThroughForm(world.app, emails.reception);
    const page = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    expect(page.text).not.toContain('Dernier relais');
    await reception
      .post(`/dossiers/${caseId}/referent`)
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(page.text),
          expectedRevision: hidden(page.text, 'expectedRevision').at(-1) as string,
          structure: ccasId,
          note: 'Relais logement : rendez-vous pris au CCAS',
        }),
      )
      .expect(303);

    const ccas = await logInThroughForm(world.app, emails.foreign);
    for (const client of [reception, ccas]) {
      const after = await client.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
      expect(decoded(after.text)).toContain('Dernier relais, venant de France Services de Laragne');
      expect(after.text).toContain('Relais logement : rendez-vous pris au CCAS');
    }
  });
});

describe('every receiving structure sees what is addressed to it', () => {
  it('when a referral is sent to the CCAS, then its reception agent (no partner role) finds it in « Orientations reçues » with the count waiting, reads it and accepts it', async () => {
    const api = await logInAs(world.app, emails.reception);
    const { caseId, personId } = await openLaragneCase(api, ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT']);
    const ccasId = world.organisationIds['ccas-gap'] as string;
    const chosen = await api
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: 'ccas-gap-accueil-social', reasonCode: 'proximity' })
      .expect(201);
    const referral = chosen.body.referral as {
      id: string;
      toOrganisationId: string;
      purpose: string;
      sharedCategories: string[];
    };
    expect(referral.toOrganisationId).toBe(ccasId);
    const scope = { recipientOrganisationIds: [ccasId], purposes: [referral.purpose], categories: referral.sharedCategories };
    await recordConsentThroughApi(api, personId, scope);
    await api.post(`/api/v1/referrals/${referral.id}/send`).send({ expectedRevision: 0 }).expect(200);

    const ccas = await logInThroughForm(world.app, emails.foreign);
    const work = await ccas.get('/mon-travail').expect(200);
    expect(work.text).toContain('href="/partenaire/orientations"');
    expect(work.text).toMatch(/data-testid="referrals-waiting">\d+<span class="fr-sr-only"> en attente de réponse/);
    const inbox = await ccas.get('/partenaire/orientations').expect(200);
    expect(inbox.text).toContain(`href="/partenaire/orientations/${referral.id}"`);
    const read = await ccas.get(`/partenaire/orientations/${referral.id}`).expect(200);
    await ccas
      .post(`/partenaire/orientations/${referral.id}/reponses`)
      .type('form')
      .send(
        formOf({
          _csrf: csrfOf(read.text),
          expectedRevision: hidden(read.text, 'expectedRevision')[0] as string,
          type: 'ACCEPT',
          conditions: '',
        }),
      )
      .expect(303);
    expect(await statusOf(referral.id)).toBe('accepted');

    // The France Services agent, who receives nothing here, sees the inbox entry without a waiting count.
    const reception = await logInThroughForm(world.app, emails.reception);
    const own = await reception.get('/mon-travail').expect(200);
    expect(own.text).not.toContain('data-testid="referrals-waiting"');
    // The referrer's timeline names the partner of each referral event.
    const casePage = await reception.get(`/dossiers/${caseId}`).expect(200);
    expect(casePage.text).toContain('Orientation préparée — CCAS de Gap');
    expect(casePage.text).toContain('Orientation envoyée — CCAS de Gap');
    expect(casePage.text).toContain('Orientation acceptée — CCAS de Gap');
  });
});

describe('what a referral carries, chosen on the page', () => {
  it('when the agent adds a consented category at sending, then it is sent with it; health, not consented, is refused and named', async () => {
    const { caseId, personId, referralId } = await caseWithDraftToCaf();
    const api = await logInAs(world.app, emails.reception);
    const cafId = world.organisationIds.caf as string;
    const categories = ['identity', 'contact', 'situation_summary', 'assessment'];
    await recordConsentThroughApi(api, personId, { recipientOrganisationIds: [cafId], purposes: ['rights_opening'], categories });

    const reception = await logInThroughForm(world.app, emails.reception);
    const page = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    // Every category is offered; the consent's coverage is said for each.
    expect(page.text).toContain(`id="envoi-${referralId}-assessment"`);
    expect(page.text).toContain(`id="envoi-${referralId}-health"`);
    expect(page.text).toContain('non couvert par le consentement');
    const send = (picked: string[], text: string) =>
      reception
        .post(`/orientations/${referralId}/envoi`)
        .type('form')
        .send(formOf({ _csrf: csrfOf(text), dossier: caseId, expectedRevision: '0', categorie: picked }));
    const refused = await send([...categories, 'health'], page.text).expect(422);
    expect(refused.text).toContain('Santé');
    expect(await statusOf(referralId)).toBe('draft');
    await send(categories, page.text).expect(303);
    const [sent] = await database.db.select().from(referrals).where(eq(referrals.id, referralId));
    expect(sent).toMatchObject({ status: 'sent' });
    expect([...(sent?.sharedCategories ?? [])].sort()).toEqual([...categories].sort());
  });
});

describe('cancelling a referral on the page', () => {
  it('when the sender cancels a draft, then it is cancelled and the page says so; the same form sent again is told it changed', async () => {
    const { caseId, referralId } = await caseWithDraftToCaf();
    const reception = await logInThroughForm(world.app, emails.reception);
    const page = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    const form = new RegExp(
      `action="/orientations/${referralId}/annulation">[\\s\\S]*?name="expectedRevision" value="(\\d+)"[\\s\\S]*?Annuler l’orientation vers CAF des Hautes-Alpes`,
    ).exec(page.text);
    expect(form).not.toBeNull();
    const fields = { _csrf: csrfOf(page.text), dossier: caseId, expectedRevision: form?.[1] as string };

    const cancelled = await reception.post(`/orientations/${referralId}/annulation`).type('form').send(fields).expect(303);
    expect(cancelled.headers.location).toBe(`/dossiers/${caseId}/orientations-partenaires#orientation-${referralId}`);
    expect(await statusOf(referralId)).toBe('cancelled');
    const after = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    expect(after.text).toContain('Orientation annulée : le partenaire n’a plus accès au dossier.');
    expect(after.text).not.toContain(`action="/orientations/${referralId}/annulation"`);

    // The same form again (a second click, another tab): nothing changes, the page says why.
    await reception.post(`/orientations/${referralId}/annulation`).type('form').send(fields).expect(303);
    const again = await reception.get(`/dossiers/${caseId}/orientations-partenaires`).expect(200);
    expect(again.text).toContain('Cette orientation a changé entre-temps : vérifiez son état, puis recommencez.');
    expect(await statusOf(referralId)).toBe('cancelled');
  });

  it('when someone without the right posts the form, or without its CSRF token, then it is refused and the referral stays a draft', async () => {
    const { caseId, referralId } = await caseWithDraftToCaf();
    const partner = await logInThroughForm(world.app, emails.partner);
    const partnerPage = await partner.get('/partenaire/orientations').expect(200);
    await partner
      .post(`/orientations/${referralId}/annulation`)
      .type('form')
      .send({ _csrf: csrfOf(partnerPage.text), dossier: caseId, expectedRevision: '0' })
      .expect(403);
    const reception = await logInThroughForm(world.app, emails.reception);
    await reception
      .post(`/orientations/${referralId}/annulation`)
      .type('form')
      .send({ dossier: caseId, expectedRevision: '0' })
      .expect(403);
    expect(await statusOf(referralId)).toBe('draft');
  });
});
