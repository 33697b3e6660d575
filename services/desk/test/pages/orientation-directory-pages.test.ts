import { directoryServices, orientationChoices, referrals, systemActor, territories, withActor } from '@parcours/db';
import { demoDirectory, demoTerritoryId } from '@parcours/demo-territory';
import { runDirectoryImport } from '@parcours/directory-store';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritoryWorld, emails, openLaragneCase } from '../territory-world.ts';
import { assessedOnPage, csrfOf, logInThroughForm } from './page-client.ts';

let database: TestDatabase;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
});
afterAll(async () => {
  await database?.close();
});

/**
 * A file handed in on the page goes to the worker: its page says it waits, the worker's step runs (the same
 * function as the `directory.import` job), and the page then shows the report.
 */
async function importedThroughWorker(admin: Awaited<ReturnType<typeof logInThroughForm>>, location: string, fileName: string) {
  expect(location).toMatch(/^\/annuaire\/imports\/[0-9a-f-]{36}$/);
  const waiting = await admin.get(location).expect(200);
  expect(waiting.text).toContain(`Import de l’annuaire : ${fileName}`);
  expect(waiting.text).toContain('Import en attente de traitement…');
  expect(waiting.text).toContain('<progress');
  await runDirectoryImport((work) => withActor(database.db, systemActor, work), location.split('/').pop() as string);
  const done = await admin.get(location).expect(200);
  expect(done.text).not.toContain('<progress');
  return done;
}

/** The demo territory's freshness period (`settings.directory.staleAfterMonths`), or its default. */
async function setFreshness(months: number | null) {
  await database.db
    .update(territories)
    .set({
      settings:
        months === null
          ? sql`settings - 'directory'`
          : sql`settings || ${JSON.stringify({ directory: { staleAfterMonths: months } })}::jsonb`,
    })
    .where(eq(territories.id, demoTerritoryId));
}

const referralCount = async (caseId: string) =>
  (await database.db.select({ n: count() }).from(referrals).where(eq(referrals.caseId, caseId)))[0]?.n;

/** Service ids of the « Choisir » forms of suggestions, in rank order. */
const suggestedIds = (html: string) =>
  [...html.matchAll(/id="choisir-suggestion-([a-z0-9-]+)"/g)].map((match) => match[1] as string);

describe('orientation pages', () => {
  it('when the agent chooses two suggestions, then two draft referrals exist, the list shows them, and a double submit writes nothing more', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { caseId } = await assessedOnPage(client);
    const page = await client.get(`/dossiers/${caseId}/orientation`).expect(200);
    expect(page.text).toContain('résidant à Laragne-Montéglin');
    expect(page.text).toMatch(/besoin : logement, sévère/);
    const { body } = await client.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(200);
    const referableIds = new Set(
      (body.suggestions as Array<{ serviceId: string; service: { referable: boolean } }>)
        .filter((suggestion) => suggestion.service.referable)
        .map((suggestion) => suggestion.serviceId),
    );
    const referable = suggestedIds(page.text).filter((id) => referableIds.has(id));
    expect(referable.length).toBeGreaterThanOrEqual(2);
    const [first, second] = referable as [string, string];

    const token = csrfOf(page.text);
    for (const serviceId of [first, second]) {
      await client
        .post(`/dossiers/${caseId}/orientations`)
        .type('form')
        .send({ _csrf: token, serviceId })
        .expect(303)
        .expect('location', `/dossiers/${caseId}/orientation#choix`);
    }
    const after = await client.get(`/dossiers/${caseId}/orientation`).expect(200);
    expect(after.text).toContain('orientation préparée en brouillon');
    expect(after.text.match(/<span class="fr-badge fr-badge--success">Déjà choisi<\/span>/g)?.length).toBeGreaterThanOrEqual(2);
    expect(suggestedIds(after.text)).not.toContain(first);
    expect(await referralCount(caseId)).toBe(2);

    // The same form sent again (a double click, the back button): refused by the use case, nothing written.
    await client.post(`/dossiers/${caseId}/orientations`).type('form').send({ _csrf: token, serviceId: first }).expect(303);
    const warned = await client.get(`/dossiers/${caseId}/orientation`).expect(200);
    expect(warned.text).toContain('Ce service est déjà choisi pour ce dossier');
    expect(await referralCount(caseId)).toBe(2);
  });

  it('when a service outside the suggestions is chosen, then a reason is required (and words for « Autre »), with an error summary; with one it is recorded', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { caseId } = await assessedOnPage(client);
    const search = await client.get(`/dossiers/${caseId}/orientation?bouquet=sante&commune=05070`).expect(200);
    const outside = [...search.text.matchAll(/id="choisir-([a-z0-9-]+)"/g)]
      .map((match) => match[1] as string)
      .find((id) => !id.startsWith('suggestion-'));
    expect(outside).toBeDefined();
    const token = csrfOf(search.text);
    const noReason = await client
      .post(`/dossiers/${caseId}/orientations`)
      .type('form')
      .send({ _csrf: token, serviceId: outside, recherche: 'bouquet=sante&commune=05070' })
      .expect(400);
    expect(noReason.text).toContain(
      `<a href="#motif-${outside}">Motif obligatoire pour un service choisi hors des suggestions.</a>`,
    );
    expect(noReason.text).toContain('aria-invalid="true"');
    const other = await client
      .post(`/dossiers/${caseId}/orientations`)
      .type('form')
      .send({ _csrf: token, serviceId: outside, motif: 'other', recherche: 'bouquet=sante&commune=05070' })
      .expect(400);
    expect(other.text).toContain(`<a href="#precision-${outside}">Préciser la raison du choix.</a>`);
    expect(await database.db.select().from(orientationChoices).where(eq(orientationChoices.caseId, caseId))).toHaveLength(0);
    await client
      .post(`/dossiers/${caseId}/orientations`)
      .type('form')
      .send({ _csrf: token, serviceId: outside, motif: 'person_preference', precision: 'Suivi déjà engagé' })
      .expect(303);
    const [choice] = await database.db.select().from(orientationChoices).where(eq(orientationChoices.caseId, caseId));
    expect(choice).toMatchObject({
      serviceId: outside,
      suggested: false,
      reasonCode: 'person_preference',
      reasonText: 'Suivi déjà engagé',
    });
    const list = await client.get(`/dossiers/${caseId}/orientation`).expect(200);
    expect(list.text).toContain('Hors suggestions');
    expect(list.text).toContain('Choix de la personne : Suivi déjà engagé');
  });

  it('when the case has no completed assessment, then the page says so and links to the assessment', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { caseId } = await openLaragneCase(client);
    const page = await client.get(`/dossiers/${caseId}/orientation`).expect(200);
    expect(page.text).toContain('Terminez l’évaluation du dossier');
    expect(page.text).toContain(`href="/dossiers/${caseId}/evaluation"`);
  });

  it('when an unknown service id is posted, then the page comes back with the error and nothing is written', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { caseId } = await assessedOnPage(client);
    const page = await client.get(`/dossiers/${caseId}/orientation`).expect(200);
    const refused = await client
      .post(`/dossiers/${caseId}/orientations`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), serviceId: 'no-such-service', motif: 'agent_knowledge' })
      .expect(400);
    expect(refused.text).toContain('Ce service n’est plus dans l’annuaire.');
    expect(await referralCount(caseId)).toBe(0);
  });
});

describe('directory pages', () => {
  it('when an agent searches by bundle and commune, then matching services are listed with links to their page', async () => {
    const client = await logInThroughForm(world.app, emails.partner);
    const all = await client.get('/annuaire').expect(200);
    expect(all.text).toContain('aria-current="page">Annuaire des services');
    expect(all.text).not.toContain('Importer l’annuaire');
    const [total] = await database.db.select({ n: count() }).from(directoryServices).where(eq(directoryServices.active, true));
    expect(all.text).toContain(`${total?.n} services`);
    const found = await client.get('/annuaire?bouquet=hebergement-logement&commune=05070').expect(200);
    const ids = [...found.text.matchAll(/href="\/annuaire\/services\/([a-z0-9-]+)"/g)].map((match) => match[1] as string);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const service = demoDirectory.find((candidate) => candidate.id === id);
      expect(service?.bundles).toContain('hebergement-logement');
      expect(service?.communesServed).toContain('05070');
    }
    expect(found.text).toMatch(/<option value="05070" selected>Laragne-Montéglin<\/option>/);
    // A bad filter is ignored, not an error.
    await client.get('/annuaire?bouquet=nope&commune=xx').expect(200);
  });

  it('when a service page is opened, then it shows description, public, cost, prerequisites, how to apply, places, hours, permanences, waiting time and contact', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const itinerant = demoDirectory.find((service) => service.permanences?.some((permanence) => permanence.mode === 'itinerant'));
    expect(itinerant).toBeDefined();
    const page = await client.get(`/annuaire/services/${itinerant?.id}`).expect(200);
    for (const heading of [
      'Pour qui',
      'Coût',
      'Conditions préalables',
      'Comment faire la demande',
      'Lieux et horaires',
      'Permanences et passages itinérants',
      'Contact',
      'Communes desservies',
    ]) {
      expect(page.text).toContain(heading);
    }
    expect(page.text).toContain('Itinérant');
    expect(page.text).toMatch(/Délai d’attente|Sans délai/);
    const missing = await client.get('/annuaire/services/no-such-service').expect(404);
    expect(missing.text).toContain('Page introuvable');
    // Communes by name; a service not verified for six months says so, on its page and in the list.
    const served = /Communes desservies<\/h2>\s*<p class="fr-text--sm">([^<]*)<\/p>/.exec(page.text)?.[1] ?? '';
    expect(served).toMatch(/^\p{Lu}/u);
    expect(served).not.toMatch(/\d{5}/);
    const before = world.clock.now();
    world.clock.set(new Date('2026-12-06T10:00:00Z'));
    const stale = await client.get('/annuaire/services/epicerie-ambulante-baronnies').expect(200);
    expect(stale.text).toContain('Fiche vérifiée le 1 septembre 2025, il y a plus de 6 mois');
    const fresh = await client.get('/annuaire/services/caf-acces-droits').expect(200);
    expect(fresh.text).not.toContain('il y a plus de 6 mois');
    const list = await client.get('/annuaire?texte=epicerie%20ambulante').expect(200);
    expect(list.text).toContain('À vérifier');
    // The period is the territory's: at 18 months the same service is no longer flagged, at 1 the CAF's is (verified on 2 November).
    await setFreshness(18);
    const longer = await client.get('/annuaire/services/epicerie-ambulante-baronnies').expect(200);
    expect(longer.text).not.toContain('il y a plus de');
    await setFreshness(1);
    expect((await client.get('/annuaire/services/caf-acces-droits').expect(200)).text).toContain('il y a plus de 1 mois');
    await setFreshness(null);
    world.clock.set(before);
  });

  it('when an administrator uploads a data·inclusion file, then the report page names the format, the structures matched and what was not taken', async () => {
    const admin = await logInThroughForm(world.app, emails.admin);
    const form = await admin.get('/annuaire/import').expect(200);
    const file = {
      structures: [{ source: 'dora', id: 'dora--caf05', nom: 'CAF des Hautes-Alpes', date_maj: '2026-11-02' }],
      services: [
        {
          source: 'dora',
          structure_id: 'dora--caf05',
          id: 'dora--caf-point-info',
          nom: 'Point info CAF par la page',
          description: 'Un conseiller répond à vos questions sur les prestations, sans rendez-vous.',
          date_maj: '2026-11-02',
          thematiques: ['difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits'],
          publics: ['residents-qpv-frr'],
          frais: 'gratuit',
          zone_eligibilite: ['05070'],
        },
      ],
    };
    const handedIn = await admin
      .post('/annuaire/import')
      .field('_csrf', csrfOf(form.text))
      .attach('fichier', Buffer.from(JSON.stringify(file)), { filename: 'dora.json', contentType: 'application/json' })
      .expect(303);
    const report = await importedThroughWorker(admin, handedIn.headers.location as string, 'dora.json');
    expect(report.text).toContain('Format data·inclusion v1 : 1 service enregistré sur 1 ; 0 ligne rejetée');
    expect(report.text).toContain('CAF des Hautes-Alpes : CAF des Hautes-Alpes (par nom)');
    expect(report.text).toContain('dora--caf-point-info : public sans équivalent : residents-qpv-frr');
  });

  it('when an administrator imports pasted JSON with a bad row, then the report lists the row with its reasons and the good row is kept', async () => {
    const admin = await logInThroughForm(world.app, emails.admin);
    const form = await admin.get('/annuaire/import').expect(200);
    expect(form.text).toContain('enctype="multipart/form-data"');
    const good = { ...demoDirectory[0], name: 'Service importé depuis la page' };
    const bad = { ...demoDirectory[1], id: 'Bad Id', communesServed: [] };
    const report = await admin
      .post('/annuaire/import')
      .field('_csrf', csrfOf(form.text))
      .field('contenu', JSON.stringify([good, bad]))
      .expect(200);
    expect(report.text).toContain('Format Parcours : 1 service enregistré sur 2 ; 1 ligne rejetée');
    expect(report.text).toMatch(/<td>2<\/td><td>Bad Id<\/td>/);
    expect(report.text).toContain('identifiant invalide');
    const [row] = await database.db
      .select()
      .from(directoryServices)
      .where(eq(directoryServices.id, good.id as string));
    expect(row?.name).toBe('Service importé depuis la page');
    // The search sees the import at once: the index of the territory was dropped.
    expect((await admin.get('/annuaire?texte=importé depuis la page').expect(200)).text).toContain(
      'Service importé depuis la page',
    );
  });

  it('when an administrator uploads a directory file, then it is imported; an empty form or bad JSON is a 400 with the reason', async () => {
    const admin = await logInThroughForm(world.app, emails.admin);
    const form = await admin.get('/annuaire/import').expect(200);
    const token = csrfOf(form.text);
    const file = Buffer.from(JSON.stringify({ format: 'parcours-directory', version: 1, services: [demoDirectory[2]] }));
    const handedIn = await admin
      .post('/annuaire/import')
      .field('_csrf', token)
      .attach('fichier', file, { filename: 'annuaire.json', contentType: 'application/json' })
      .expect(303);
    const uploaded = await importedThroughWorker(admin, handedIn.headers.location as string, 'annuaire.json');
    expect(uploaded.text).toContain('1 service enregistré sur 1 ; 0 ligne rejetée');
    // The import page lists it among the territory's latest imports.
    expect((await admin.get('/annuaire/import').expect(200)).text).toContain(
      `href="${handedIn.headers.location}">annuaire.json</a>`,
    );
    const empty = await admin.post('/annuaire/import').field('_csrf', token).field('contenu', '').expect(400);
    expect(empty.text).toContain('<a href="#import-fichier">Choisissez un fichier d’annuaire ou collez son contenu JSON.</a>');
    const broken = await admin.post('/annuaire/import').field('_csrf', token).field('contenu', '{ not json').expect(400);
    expect(broken.text).toContain('n’est pas du JSON valide');
    const unusable = await admin.post('/annuaire/import').field('_csrf', token).field('contenu', '{"services": 3}').expect(400);
    expect(unusable.text).toContain('Le fichier d’annuaire est inutilisable');
  });

  it('when someone other than an administrator opens the import, or a form comes without its CSRF token, then it is refused', async () => {
    const reception = await logInThroughForm(world.app, emails.reception);
    const refused = await reception.get('/annuaire/import').expect(403);
    expect(refused.text).toContain('Accès refusé');
    const admin = await logInThroughForm(world.app, emails.admin);
    await admin
      .post('/annuaire/import')
      .field('contenu', JSON.stringify([demoDirectory[0]]))
      .expect(403);
  });
});

describe('how a referral reaches a service, said once', () => {
  it('when the directory is listed, then no service is said both to receive referrals through Parcours and to belong to no structure of Parcours; a structure without agents is reached by a signed link', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const texts: string[] = [];
    for (let page = 1; page <= 6; page += 1) texts.push((await client.get(`/annuaire?page=${page}`).expect(200)).text);
    const cards = texts.join('\n').split('<div class="fr-card ').slice(1);
    expect(cards.length).toBeGreaterThan(80);
    for (const card of cards) {
      const says = [
        'Reçoit les orientations par Parcours',
        'Reçoit les orientations par un lien sécurisé',
        'Rattaché à aucune structure de Parcours',
        'Pas d’orientation par Parcours',
      ].filter((phrase) => card.includes(phrase));
      expect(says, card.slice(0, 300)).toHaveLength(1);
    }
    const justice = await client.get('/annuaire/services/point-justice-briancon').expect(200);
    expect(justice.text).toContain('Reçoit les orientations par un lien sécurisé (aucun agent dans Parcours)');
    const { body } = await client.get('/api/v1/directory/services/point-justice-briancon').expect(200);
    expect(body.referralRoute).toBe('signed_link');
  });

  it('when the agent chooses a suggestion with another purpose, then the draft referral carries the purpose chosen on the page', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { caseId } = await assessedOnPage(client);
    const page = await client.get(`/dossiers/${caseId}/orientation`).expect(200);
    const serviceId = [...page.text.matchAll(/<select class="fr-select" id="finalite-suggestion-([a-z0-9-]+)"/g)].map(
      (m) => m[1] as string,
    )[0];
    expect(serviceId).toBeDefined();
    await client
      .post(`/dossiers/${caseId}/orientations`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), serviceId, finalite: 'case_management' })
      .expect(303);
    const [draft] = await database.db.select().from(referrals).where(eq(referrals.caseId, caseId));
    expect(draft?.purpose).toBe('case_management');
    await client
      .post(`/dossiers/${caseId}/orientations`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), serviceId: 'caf-acces-droits', finalite: 'not-a-purpose' })
      .expect(400);
  });

  it('when the agent looks for a service whose structure has no agent in Parcours, then the choice says so and proposes the signed link', async () => {
    const client = await logInThroughForm(world.app, emails.reception);
    const { caseId } = await assessedOnPage(client);
    const search = await client.get(`/dossiers/${caseId}/orientation?bouquet=justice-droit&commune=05023`).expect(200);
    expect(search.text).toContain('value="point-justice-briancon"');
    expect(search.text).toContain('Reçoit les orientations par un lien sécurisé (aucun agent dans Parcours)');
    expect(search.text).toContain(
      'Point-justice de Briançon n’a pas d’agent dans Parcours : l’orientation est préparée ici, puis vous la lui transmettez par un lien sécurisé',
    );
  });
});
