import { randomUUID } from 'node:crypto';
import {
  auditEvents,
  directoryServices,
  organisations,
  orientationChoices,
  referrals,
  systemActor,
  withActor,
} from '@parcours/db';
import { demoDirectory } from '@parcours/demo-territory';
import type { DirectoryServiceInput } from '@parcours/directory';
import { runDirectoryImport } from '@parcours/directory-store';
import { sendReferralEvent } from '@parcours/engine';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { count, eq } from 'drizzle-orm';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRowsFor } from './harness.ts';
import {
  completeAnswers,
  createTerritoryWorld,
  emails,
  housingAndWork,
  logInAs,
  openLaragneCase,
  problemOf,
} from './territory-world.ts';

let database: TestDatabase;
let reception: TestAgent;
let foreign: TestAgent;
let partner: TestAgent;
let admin: TestAgent;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  [reception, foreign, partner, admin] = await Promise.all([
    logInAs(world.app, emails.reception),
    logInAs(world.app, emails.foreign),
    logInAs(world.app, emails.partner),
    logInAs(world.app, emails.admin),
  ]);
});
afterAll(async () => {
  await database?.close();
});

async function writeCounts() {
  const [c] = await database.db.select({ n: count() }).from(orientationChoices);
  const [r] = await database.db.select({ n: count() }).from(referrals);
  const [d] = await database.db.select({ n: count() }).from(directoryServices);
  return { choices: c?.n, referrals: r?.n, services: d?.n };
}

/** A Laragne case with a completed assessment (severe housing need, moderate employment need), in orientation. */
async function assessedCase() {
  const opened = await openLaragneCase(reception);
  const draft = await reception.post(`/api/v1/cases/${opened.caseId}/assessments`).expect(201);
  await reception
    .post(`/api/v1/assessments/${draft.body.id}/draft`)
    .send({ answers: completeAnswers(housingAndWork) })
    .expect(200);
  await reception.post(`/api/v1/assessments/${draft.body.id}/complete`).expect(200);
  return { ...opened, assessmentId: draft.body.id as string };
}

type SuggestionBody = {
  rank: number;
  serviceId: string;
  score: number;
  reason: string;
  reasons: string[];
  matchedNeeds: Array<{ domain: string }>;
  service: { referable: boolean; bundles: string[] };
};

describe('orientation suggestions', () => {
  it('when a case has a completed assessment, then services serving the commune are ranked with their reasons, the same every time', async () => {
    const { caseId, assessmentId, personId } = await assessedCase();
    const response = await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(200);
    expect(response.body).toMatchObject({
      caseId,
      assessmentId,
      communeCode: '05070',
      communeName: 'Laragne-Montéglin',
      rulesVersion: 'parcours-orientation@2',
    });
    const suggestions = response.body.suggestions as SuggestionBody[];
    expect(suggestions.length).toBeGreaterThan(2);
    expect(suggestions.length).toBeLessThanOrEqual(10);
    expect(suggestions.map((suggestion) => suggestion.rank)).toEqual(suggestions.map((_, index) => index + 1));
    const scores = suggestions.map((suggestion) => suggestion.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const suggestion of suggestions) {
      expect(suggestion.reason).toMatch(/^besoin : (logement|emploi)/);
      expect(suggestion.reason).toContain('dessert Laragne-Montéglin');
      expect(suggestion.matchedNeeds.every((need) => ['housing', 'employment'].includes(need.domain))).toBe(true);
    }
    // The strongest need (housing, severe and urgent) leads.
    expect(suggestions[0]?.matchedNeeds[0]?.domain).toBe('housing');

    const again = await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(200);
    expect(again.body).toEqual(response.body);
    const limited = await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions?limit=2`).expect(200);
    expect(limited.body.suggestions).toEqual(response.body.suggestions.slice(0, 2));

    const audit = (await auditRowsFor(database.db, caseId)).filter((row) => row.action === 'orientation.suggest');
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({ outcome: 'allowed', subjectIds: [caseId, assessmentId, personId] });
  });

  it('when the case has no completed assessment, then 409 assessment-required', async () => {
    const { caseId } = await openLaragneCase(reception);
    const response = await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(409);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:assessment-required' });
  });

  it('when another organisation asks, then 404 audited as denied; a bad limit is a 400', async () => {
    const { caseId } = await assessedCase();
    await foreign.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(404);
    await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions?limit=0`).expect(400);
    const denied = (await auditRowsFor(database.db, caseId)).filter((row) => row.outcome === 'denied');
    expect(denied).toMatchObject([{ action: 'orientation.suggest' }]);
  });
});

describe('choosing orientations', () => {
  it('when two suggested services are chosen, then two choices and two draft referrals to their organisations exist on the case', async () => {
    const { caseId, assessmentId } = await assessedCase();
    const { body } = await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(200);
    const referable = (body.suggestions as SuggestionBody[]).filter((suggestion) => suggestion.service.referable);
    expect(referable.length).toBeGreaterThanOrEqual(2);
    const [first, second] = referable as [SuggestionBody, SuggestionBody];

    const chosen: Array<{ referral: { id: string } }> = [];
    for (const suggestion of [first, second]) {
      const response = await reception
        .post(`/api/v1/cases/${caseId}/orientation-choices`)
        .send({ serviceId: suggestion.serviceId })
        .expect(201);
      chosen.push(response.body);
      world.clock.set(new Date(world.clock.now().getTime() + 60_000));
      expect(response.body.choice).toMatchObject({
        caseId,
        assessmentId,
        serviceId: suggestion.serviceId,
        suggested: true,
        suggestionRank: suggestion.rank,
        rulesVersion: 'parcours-orientation@2',
        reasonCode: null,
      });
      expect(response.body.referral).toMatchObject({
        status: 'draft',
        revision: 0,
        sharedCategories: ['identity', 'contact', 'situation_summary'],
      });
      expect(response.body.choice.referralId).toBe(response.body.referral.id);
    }
    const stored = await database.db.select().from(referrals).where(eq(referrals.caseId, caseId));
    expect(stored).toHaveLength(2);
    expect(stored.map((row) => row.toServiceId).sort()).toEqual([first.serviceId, second.serviceId].sort());
    for (const row of stored) {
      expect(row).toMatchObject({ status: 'draft', fromOrganisationId: expect.any(String) });
      const service = await database.db
        .select()
        .from(directoryServices)
        .where(eq(directoryServices.id, row.toServiceId ?? ''));
      expect(row.toOrganisationId).toBe(service[0]?.organisationId);
    }
    // The purpose follows the need the service was suggested for (housing → housing, employment → integration).
    const purposeOfNeed: Record<string, string> = { housing: 'housing', employment: 'professional_integration' };
    expect(stored.find((row) => row.toServiceId === first.serviceId)?.purpose).toBe(
      purposeOfNeed[first.matchedNeeds[0]?.domain ?? ''],
    );

    const list = await reception.get(`/api/v1/cases/${caseId}/orientation-choices`).expect(200);
    expect(list.body.items.map((item: { referralId: string }) => item.referralId)).toEqual(
      chosen.map((answer) => answer.referral.id),
    );
    const timeline = await reception.get(`/api/v1/cases/${caseId}/timeline`).expect(200);
    expect(timeline.body.events.filter((event: { eventType: string }) => event.eventType === 'CREATE')).toHaveLength(2);
  });

  it('when a service outside the suggestions is chosen without a reason, then 400 and nothing is written; with a reason it is recorded', async () => {
    const { caseId } = await assessedCase();
    const { body } = await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(200);
    const suggested = new Set((body.suggestions as SuggestionBody[]).map((suggestion) => suggestion.serviceId));
    const outside = demoDirectory.find(
      (service) =>
        service.active !== false && service.acceptsReferrals && !suggested.has(service.id) && service.bundles.includes('sante'),
    );
    expect(outside).toBeDefined();
    const before = await writeCounts();
    const response = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: outside?.id })
      .expect(400);
    expect(problemOf(response).errors).toEqual([
      { field: 'reasonCode', message: 'motif obligatoire pour un service choisi hors des suggestions' },
    ]);
    const other = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: outside?.id, reasonCode: 'other' })
      .expect(400);
    expect(problemOf(other).errors?.map((issue) => issue.field)).toEqual(['reasonText']);
    const unknown = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: 'no-such-service', reasonCode: 'agent_knowledge' })
      .expect(400);
    expect(problemOf(unknown).errors?.map((issue) => issue.field)).toEqual(['serviceId']);
    expect(await writeCounts()).toEqual(before);

    const recorded = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: outside?.id, reasonCode: 'person_preference', reasonText: 'Suivi déjà engagé avec ce service' })
      .expect(201);
    expect(recorded.body.choice).toMatchObject({
      suggested: false,
      suggestionRank: null,
      reasonCode: 'person_preference',
      reasonText: 'Suivi déjà engagé avec ce service',
    });
    expect(recorded.body.referral?.purpose ?? recorded.body.noReferralReason).toBeTruthy();
  });

  it('when the service takes no orientation through Parcours, then the choice is recorded without a referral and says why', async () => {
    const { caseId } = await assessedCase();
    const direct = demoDirectory.find(
      (service) => service.active !== false && !service.acceptsReferrals,
    ) as DirectoryServiceInput;
    const before = await writeCounts();
    const response = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: direct.id, reasonCode: 'agent_knowledge' })
      .expect(201);
    expect(response.body).toMatchObject({ referral: null, noReferralReason: expect.stringMatching(/contactez-le directement/) });
    expect(await writeCounts()).toEqual({ ...before, choices: (before.choices ?? 0) + 1 });
  });

  it('when the same service is chosen twice, then the second is refused with 409 until the first referral has ended', async () => {
    const { caseId } = await assessedCase();
    const { body } = await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(200);
    const first = (body.suggestions as SuggestionBody[]).find((suggestion) => suggestion.service.referable) as SuggestionBody;
    const chosen = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: first.serviceId })
      .expect(201);
    const before = await writeCounts();
    const again = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: first.serviceId })
      .expect(409);
    expect(problemOf(again)).toMatchObject({ type: 'urn:parcours:problem:orientation-already-chosen' });
    expect(await writeCounts()).toEqual(before);

    // The draft referral is cancelled: the service may be chosen again, with a new referral.
    await sendReferralEvent(
      database.db,
      { referralId: chosen.body.referral.id, event: { type: 'CANCEL' }, expectedRevision: chosen.body.referral.revision },
      { actor: systemActor, clock: world.clock },
    );
    const renewed = await reception
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: first.serviceId })
      .expect(201);
    expect(renewed.body.referral.id).not.toBe(chosen.body.referral.id);
  });

  it('when a service outside Parcours is chosen twice on the same assessment, then the second is refused', async () => {
    const { caseId } = await assessedCase();
    const direct = demoDirectory.find(
      (service) => service.active !== false && !service.acceptsReferrals,
    ) as DirectoryServiceInput;
    const choice = { serviceId: direct.id, reasonCode: 'agent_knowledge' };
    await reception.post(`/api/v1/cases/${caseId}/orientation-choices`).send(choice).expect(201);
    await reception.post(`/api/v1/cases/${caseId}/orientation-choices`).send(choice).expect(409);
  });

  it('when another organisation chooses for a case, then 404 and nothing is written', async () => {
    const { caseId } = await assessedCase();
    const { body } = await reception.get(`/api/v1/cases/${caseId}/orientation-suggestions`).expect(200);
    const before = await writeCounts();
    await foreign
      .post(`/api/v1/cases/${caseId}/orientation-choices`)
      .send({ serviceId: body.suggestions[0].serviceId })
      .expect(404);
    await foreign.get(`/api/v1/cases/${caseId}/orientation-choices`).expect(404);
    expect(await writeCounts()).toEqual(before);
  });
});

describe('directory', () => {
  it('when searching by bundle, commune and words, then matching services come back sorted by id, to any role', async () => {
    const byBundle = await partner.get('/api/v1/directory/services?bundle=hebergement-logement&communeCode=05070').expect(200);
    expect(byBundle.body.total).toBeGreaterThan(0);
    const ids = byBundle.body.items.map((service: { id: string }) => service.id);
    expect([...ids].sort()).toEqual(ids);
    for (const service of byBundle.body.items) {
      expect(service.bundles).toContain('hebergement-logement');
      expect(service.communesServed).toContain('05070');
    }
    const byText = await reception.get('/api/v1/directory/services?text=france%20services&pageSize=5').expect(200);
    expect(byText.body).toMatchObject({ page: 1, pageSize: 5 });
    expect(byText.body.items.length).toBeGreaterThan(0);
    const one = await reception.get(`/api/v1/directory/services/${ids[0]}`).expect(200);
    expect(one.body.id).toBe(ids[0]);
    await reception.get('/api/v1/directory/services/nothing-here').expect(404);
    const bad = await reception.get('/api/v1/directory/services?bundle=astrologie&communeCode=5070').expect(400);
    expect(
      problemOf(bad)
        .errors?.map((issue) => issue.field)
        .sort(),
    ).toEqual(['bundle', 'communeCode']);
  });

  it('when exported, then the file is the parcours-directory format with every service, and the export is audited', async () => {
    const response = await partner.get('/api/v1/directory/export').expect(200);
    expect(response.body).toMatchObject({ format: 'parcours-directory', version: 1 });
    expect(response.body.services.length).toBeGreaterThanOrEqual(demoDirectory.length);
    const audit = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'directory.export'));
    expect(audit).toMatchObject([{ outcome: 'allowed', subjectKind: 'directory', subjectIds: ['hautes-alpes'] }]);
  });

  it('when an administrator imports a file with bad rows, then each is reported with its French reasons and the good rows are kept', async () => {
    const template = demoDirectory[0] as DirectoryServiceInput;
    const good = {
      ...template,
      id: 'test-import-nouveau',
      name: 'Permanence logement de test',
      bundles: ['hebergement-logement'],
    };
    const file = {
      format: 'parcours-directory',
      version: 1,
      services: [
        good,
        { ...template, id: 'test-import-sans-commune', communesServed: [] },
        { ...template, id: 'test-import-mauvaise-commune', communesServed: ['75056'], bundles: ['astrologie'] },
        'pas un service',
        { ...good, name: 'Doublon' },
      ],
    };
    const before = await writeCounts();
    const response = await admin.post('/api/v1/directory/import').send(file).expect(200);
    expect(response.body).toMatchObject({ territoryId: 'hautes-alpes', total: 5, written: 1 });
    const rejected = response.body.rejected as Array<{ index: number; id: string | null; reasons: string[] }>;
    expect(rejected.map((row) => [row.index, row.id])).toEqual([
      [1, 'test-import-sans-commune'],
      [2, 'test-import-mauvaise-commune'],
      [3, null],
      [4, 'test-import-nouveau'],
    ]);
    expect(rejected[0]?.reasons).toEqual(['communesServed : au moins une commune desservie']);
    expect(rejected[1]?.reasons.join(' ')).toMatch(/bundles\[0\]/);
    expect(rejected[3]?.reasons.join(' ')).toMatch(/déjà utilisé par la ligne 1/);
    expect(await writeCounts()).toEqual({ ...before, services: (before.services ?? 0) + 1 });

    // The cached index was dropped: the new service is searchable at once.
    const found = await reception.get('/api/v1/directory/services?text=permanence%20logement%20de%20test').expect(200);
    expect(found.body.items.map((service: { id: string }) => service.id)).toEqual(['test-import-nouveau']);
    const audit = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'directory.import'));
    expect(audit).toMatchObject([{ outcome: 'allowed', actorKind: 'agent' }]);
  });

  it('when a data·inclusion file is imported, then its services join the directory, each structure shown with the organisation it matched', async () => {
    const [caf] = await database.db
      .select({ id: organisations.id, name: organisations.name })
      .from(organisations)
      .where(eq(organisations.name, 'CAF des Hautes-Alpes'));
    const file = {
      structures: [
        { source: 'dora', id: 'dora--caf05', nom: 'caf des hautes alpes', date_maj: '2026-11-02' },
        { source: 'dora', id: 'dora--asso-9', nom: 'Les Amis du Buëch', date_maj: '2026-11-02', siret: '12345678900011' },
      ],
      services: [
        {
          source: 'dora',
          structure_id: 'dora--asso-9',
          id: 'dora--repair-cafe-9',
          nom: 'Repair café du Buëch',
          description: 'Réparer ensemble appareils et vélos, un samedi par mois, à Laragne-Montéglin.',
          date_maj: '2026-11-02',
          thematiques: ['equipement-et-alimentation--electromenager', 'mobilite--entretenir-reparer-son-vehicule'],
          publics: ['tous-publics'],
          frais: 'gratuit',
          modes_mobilisation: ['se-presenter'],
          zone_eligibilite: ['05070', '05061'],
        },
        {
          source: 'dora',
          structure_id: 'dora--caf05',
          id: 'dora--caf-rdv',
          nom: 'Rendez-vous des droits',
          description: 'Un entretien pour faire le point sur toutes les prestations auxquelles vous avez droit.',
          date_maj: '2026-11-02',
          thematiques: ['difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits'],
          publics: ['residents-qpv-frr'],
          frais: 'gratuit',
          zone_eligibilite: ['05'],
        },
      ],
    };
    const response = await admin.post('/api/v1/directory/import').send(file).expect(200);
    expect(response.body).toMatchObject({ format: 'data-inclusion', total: 2, written: 2, rejected: [] });
    expect(response.body.structures).toEqual([
      {
        structureId: 'dora--caf05',
        name: 'caf des hautes alpes',
        matchedBy: 'name',
        organisation: { id: caf?.id, name: caf?.name },
      },
      { structureId: 'dora--asso-9', name: 'Les Amis du Buëch', matchedBy: null, organisation: null },
    ]);
    expect(response.body.notes).toEqual([{ serviceId: 'dora--caf-rdv', message: 'public sans équivalent : residents-qpv-frr' }]);
    const found = await reception.get('/api/v1/directory/services?text=repair').expect(200);
    expect(found.body.items.map((service: { id: string; bundles: string[] }) => [service.id, service.bundles])).toEqual([
      ['dora-repair-cafe-9', ['services-marchands-prives', 'transport']],
    ]);
  });

  it('when a file is handed to the worker through the API, then 202 with its address, queued, then done with the same report; a CSV pair too', async () => {
    const file = {
      structures: [{ source: 'api-worker', id: 'api-worker--s', nom: 'Association des Baronnies', date_maj: '2026-11-02' }],
      services: [
        {
          source: 'api-worker',
          structure_id: 'api-worker--s',
          id: 'api-worker--visites',
          nom: 'Visites à domicile',
          description: 'Des bénévoles rendent visite aux personnes isolées.',
          date_maj: '2026-11-02',
          thematiques: ['remobilisation--lien-social'],
          zone_eligibilite: ['05070'],
        },
        { source: 'api-worker', structure_id: 'api-worker--s', id: 'api-worker--x', date_maj: '2026-11-02' },
      ],
    };
    const handedIn = await admin.post('/api/v1/directory/imports').send(file).expect(202);
    expect(handedIn.headers.location).toBe(`/api/v1/directory/imports/${handedIn.body.id}`);
    expect(handedIn.body).toMatchObject({ status: 'queued', processed: 0, report: null });
    const address = handedIn.headers.location as string;
    expect((await admin.get(address).expect(200)).body.status).toBe('queued');
    await runDirectoryImport((work) => withActor(database.db, systemActor, work), handedIn.body.id);
    const done = await admin.get(address).expect(200);
    expect(done.body).toMatchObject({ status: 'done', total: 2, processed: 2 });
    expect(done.body.report).toMatchObject({
      format: 'data-inclusion',
      written: 1,
      rejected: [
        {
          index: 1,
          id: 'api-worker--x',
          reasons: ['nom : champ obligatoire manquant', 'description : champ obligatoire manquant'],
        },
      ],
      disappeared: [],
    });

    const csv = await admin
      .post('/api/v1/directory/imports')
      .send({
        servicesCsv:
          'source,structure_id,id,nom,description,date_maj,thematiques,zone_eligibilite\n' +
          'api-worker,api-worker--s,api-worker--visites,Visites à domicile,Des bénévoles rendent visite.,2026-11-20,"[""remobilisation--lien-social""]",{05070}\n',
        structuresCsv: 'source,id,nom,date_maj\napi-worker,api-worker--s,Association des Baronnies,2026-11-20\n',
        fileName: 'services.csv',
      })
      .expect(202);
    await runDirectoryImport((work) => withActor(database.db, systemActor, work), csv.body.id);
    const fromCsv = await admin.get(`/api/v1/directory/imports/${csv.body.id}`).expect(200);
    expect(fromCsv.body).toMatchObject({ status: 'done', fileName: 'services.csv' });
    expect(fromCsv.body.report).toMatchObject({ format: 'data-inclusion-csv', written: 1, rejected: [], disappeared: [] });

    // Not a reception agent's, and an unknown or malformed id is answered in French.
    await reception.get(handedIn.headers.location as string).expect(403);
    const unknown = await admin.get(`/api/v1/directory/imports/${randomUUID()}`).expect(404);
    expect(unknown.body.detail).toBe('Import d’annuaire introuvable dans ce territoire.');
    const malformed = await admin.get('/api/v1/directory/imports/pas-un-id').expect(400);
    expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(malformed.body)).toContain('identifiant d’import invalide');
  });

  it('when the directory is exported as data·inclusion or HSDS, then each file comes back through the import', async () => {
    const di = await admin.get('/api/v1/directory/export?format=data-inclusion').expect(200);
    expect(di.headers['content-disposition']).toContain('annuaire-data-inclusion.json');
    expect(di.body.services.length).toBeGreaterThan(80);
    expect(di.body.structures.length).toBeGreaterThan(10);
    const hsds = await admin.get('/api/v1/directory/export?format=hsds').expect(200);
    expect(hsds.body.total_items).toBe(hsds.body.contents.length);
    await admin.get('/api/v1/directory/export?format=csv').expect(400);
    // One HSDS service of another tool, new to the directory: imported, its organisation matched by name.
    const foreign = {
      ...hsds.body.contents[0],
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      name: 'Permanence HSDS de test',
      attributes: hsds.body.contents[0].attributes.filter(
        (attribute: { taxonomy_term?: { taxonomy?: string; code?: string } }) =>
          attribute.taxonomy_term?.taxonomy !== 'parcours-identifiant',
      ),
    };
    const imported = await admin.post('/api/v1/directory/import').send({ contents: [foreign] });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ format: 'hsds', total: 1, written: 1, rejected: [] });
    expect(imported.body.structures[0]).toMatchObject({ matchedBy: 'name' });
    const found = await reception.get('/api/v1/directory/services?text=permanence%20hsds').expect(200);
    expect(found.body.items.map((service: { id: string }) => service.id)).toEqual(['0f8fad5b-d9cb-469f-a165-70867728950e']);
  });

  it('when the file itself is unusable, then 400 and nothing is written', async () => {
    const before = await writeCounts();
    const wrongFormat = await admin.post('/api/v1/directory/import').send({ format: 'hsds', services: [] }).expect(400);
    expect(problemOf(wrongFormat).errors?.map((issue) => issue.field)).toEqual(['format']);
    await admin.post('/api/v1/directory/import').send({ services: 'none' }).expect(400);
    expect(await writeCounts()).toEqual(before);
  });

  it('when someone other than an administrator imports, then 403 by the policy, audited, nothing written', async () => {
    const before = await writeCounts();
    const deniedRows = async () =>
      (await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'directory.import'))).filter(
        (row) => row.outcome === 'denied',
      ).length;
    const deniedBefore = await deniedRows();
    const response = await reception
      .post('/api/v1/directory/import')
      .send({ services: [demoDirectory[0]] })
      .expect(403);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:forbidden' });
    expect(await deniedRows()).toBe(deniedBefore + 1);
    expect(await writeCounts()).toEqual(before);
  });

  it('when a directory larger than the general body limit is imported, then it is accepted', async () => {
    const services = demoDirectory.map((service) => ({ ...service }));
    expect(JSON.stringify(services).length).toBeGreaterThan(100_000);
    const response = await admin.post('/api/v1/directory/import').send(services).expect(200);
    expect(response.body).toMatchObject({ total: demoDirectory.length, written: demoDirectory.length, rejected: [] });
  });
});

describe('OpenAPI', () => {
  it('when the document is fetched, then every operation of assessment, orientation and directory is there with its stable id', async () => {
    const { body: document } = await reception.get('/api/v1/openapi.json').expect(200);
    const operations = Object.values(document.paths as Record<string, Record<string, { operationId: string }>>).flatMap(
      (methods) => Object.values(methods),
    );
    expect(operations.map((operation) => operation.operationId)).toEqual(
      expect.arrayContaining([
        'createAssessment',
        'saveAssessmentDraft',
        'getAssessment',
        'listCaseAssessments',
        'completeAssessment',
        'followUpPotentialRight',
        'getOrientationSuggestions',
        'chooseOrientation',
        'listOrientationChoices',
        'searchServices',
        'getDirectoryService',
        'importDirectory',
        'exportDirectory',
      ]),
    );
    const choose = document.paths['/api/v1/cases/{caseId}/orientation-choices'].post;
    expect(choose.requestBody.content['application/json'].schema.required).toEqual(['serviceId']);
    expect(Object.keys(choose.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '404', '409']));
    const complete = document.paths['/api/v1/assessments/{assessmentId}/complete'].post;
    expect(Object.keys(complete.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
  });
});
