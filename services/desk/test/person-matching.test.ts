import { auditEvents, personLinks, persons } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, logInThroughForm } from './pages/page-client.ts';
import { createTerritoryWorld, emails, logInAs, problemOf } from './territory-world.ts';

/**
 * One person stays one person across structures: the CCAS searching a person the France Services recorded
 * the same day learns only that she is known in the territory, and by which kind of structure, and links
 * its contact to her instead of creating a second person.
 */
let database: TestDatabase;
let world: Awaited<ReturnType<typeof createTerritoryWorld>>;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
});
afterAll(async () => {
  await database?.close();
});

const personCount = async () => (await database.db.select({ n: count() }).from(persons))[0]?.n ?? 0;

describe('one person across structures', () => {
  it('when the CCAS searches a person the France Services recorded, then it learns only that she is known and by which kind of structure, links its contact to her, and she sees it in her export', async () => {
    const franceServices = await logInAs(world.app, emails.reception);
    const recorded = await franceServices
      .post('/api/v1/persons')
      .send({
        familyName: 'Lefèvre-Arnaud',
        givenNames: 'Josiane',
        birthName: 'Eyraud',
        birthDate: '1948-04-09',
        communeInsee: '05070',
      })
      .expect(201);
    const personId = recorded.body.id as string;

    const ccas = await logInAs(world.app, emails.foreign);
    // The exact identity, and the ways another desk would type it: accents and case, day and month swapped, her birth name.
    for (const typed of [
      { familyName: 'Lefèvre-Arnaud', givenNames: 'Josiane', birthDate: '1948-04-09', communeInsee: '05070' },
      { familyName: 'LEFEVRE', givenNames: 'josiane', birthDate: '1948-09-04' },
      { familyName: 'Eyraud', givenNames: 'Josianne', birthDate: '1948-04-09' },
    ]) {
      const search = await ccas.post('/api/v1/persons/search').send(typed).expect(200);
      expect(search.body.candidates).toEqual([]);
      expect(search.body.knownElsewhere).toHaveLength(1);
      expect(search.body.knownElsewhere[0]).toEqual({ matchToken: expect.any(String), structureKinds: ['france_services'] });
      // Nothing of her file in the answer: no id, no name.
      expect(JSON.stringify(search.body)).not.toMatch(new RegExp(`${personId}|Arnaud|Eyraud|1948`));
    }
    // Someone else with her family name and birth date (a twin) is not her.
    const twin = await ccas
      .post('/api/v1/persons/search')
      .send({ familyName: 'Lefèvre-Arnaud', givenNames: 'Hugo', birthDate: '1948-04-09' });
    expect(twin.body.knownElsewhere).toEqual([]);

    const search = await ccas
      .post('/api/v1/persons/search')
      .send({ familyName: 'Lefevre Arnaud', givenNames: 'Josiane', birthDate: '1948-04-09' })
      .expect(200);
    const before = await personCount();
    const linked = await ccas
      .post('/api/v1/persons/links')
      .send({ matchToken: search.body.knownElsewhere[0].matchToken })
      .expect(201);
    expect(linked.body).toMatchObject({ id: personId, familyName: 'Lefèvre-Arnaud' });
    expect(await personCount()).toBe(before);
    const [link] = await database.db.select().from(personLinks).where(eq(personLinks.personId, personId));
    expect(link).toMatchObject({ organisationId: world.organisationIds['ccas-gap'] });
    const audit = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'person.link'));
    expect(audit).toMatchObject([{ outcome: 'allowed', subjectIds: [personId] }]);

    // From now on the CCAS reaches her like its own: its search finds her as a candidate, and it opens a case.
    const again = await ccas
      .post('/api/v1/persons/search')
      .send({ familyName: 'Lefèvre-Arnaud', givenNames: 'Josiane', birthDate: '1948-04-09' });
    expect(again.body.candidates.map((candidate: { person: { id: string } }) => candidate.person.id)).toEqual([personId]);
    expect(again.body.knownElsewhere).toEqual([]);
    await ccas
      .post('/api/v1/cases')
      .send({ channel: 'physical', expressedRequest: 'Aide au chauffage', members: [{ personId, role: 'primary' }] })
      .expect(201);

    // Her export says which structure linked its contact to her.
    const exported = await ccas.post(`/api/v1/persons/${personId}/export`).send({}).expect(200);
    expect(exported.body.record.linkedBy).toEqual([
      { organisation: { id: world.organisationIds['ccas-gap'], name: 'CCAS de Gap' }, linkedAt: expect.any(String) },
    ]);
  });

  it('when a match token is forged, tampered, or used by another structure, then 400 in French and nothing is linked', async () => {
    const franceServices = await logInAs(world.app, emails.reception);
    await franceServices
      .post('/api/v1/persons')
      .send({ familyName: 'Achard', givenNames: 'Lucien', birthDate: '1939-11-02' })
      .expect(201);
    const ccas = await logInAs(world.app, emails.foreign);
    const search = await ccas
      .post('/api/v1/persons/search')
      .send({ familyName: 'Achard', givenNames: 'Lucien', birthDate: '1939-11-02' });
    const token = search.body.knownElsewhere[0].matchToken as string;
    const links = async () => (await database.db.select({ n: count() }).from(personLinks))[0]?.n ?? 0;
    const before = await links();
    for (const bad of [`${token.slice(0, -2)}xx`, 'pas-un-jeton', `${token}.extra`]) {
      const refused = await ccas.post('/api/v1/persons/links').send({ matchToken: bad }).expect(400);
      expect(problemOf(refused)).toMatchObject({ type: 'urn:parcours:problem:validation-failed' });
      expect(refused.body.detail).toContain('recherchez la personne à nouveau');
    }
    // Signed for the CCAS: the département's agent cannot use it.
    const departement = await logInAs(world.app, 'superviseure@demo.parcours.test');
    await departement.post('/api/v1/persons/links').send({ matchToken: token }).expect(400);
    expect(await links()).toBe(before);
  });
});

describe('one person across structures, in the pages', () => {
  it('when the CCAS agent searches on the page, then « déjà connue dans le territoire » offers to link; creating her again needs the confirmation; linking opens her case form', async () => {
    const franceServices = await logInAs(world.app, emails.reception);
    const recorded = await franceServices
      .post('/api/v1/persons')
      .send({ familyName: 'Chabert', givenNames: 'Odette', birthDate: '1951-02-11' })
      .expect(201);
    const page = await logInThroughForm(world.app, emails.foreign);
    const form = await page.get('/personnes').expect(200);
    const results = await page
      .post('/personnes/recherche')
      .type('form')
      .send({ _csrf: csrfOf(form.text), familyName: 'CHABERT', givenNames: 'Odette', birthDate: '1951-02-11', communeInsee: '' })
      .expect(200);
    expect(results.text).toContain('Cette personne est déjà connue dans le territoire');
    expect(results.text).toContain('(France Services)');
    expect(results.text).not.toContain(recorded.body.id);
    const token = /name="matchToken" value="([^"]+)"/.exec(results.text)?.[1] as string;
    expect(token).toBeDefined();
    // Creating her again without the confirmation: refused with the match shown.
    const before = await personCount();
    await page
      .post('/personnes')
      .type('form')
      .send({ _csrf: csrfOf(results.text), familyName: 'Chabert', givenNames: 'Odette', birthDate: '1951-02-11' })
      .expect(409);
    expect(await personCount()).toBe(before);
    const linked = await page
      .post('/personnes/rattachement')
      .type('form')
      .send({ _csrf: csrfOf(results.text), matchToken: token.replaceAll('&#x3D;', '=') })
      .expect(303);
    expect(linked.headers.location).toBe(`/dossiers/nouveau?personne=${recorded.body.id}`);
    await page.get(linked.headers.location as string).expect(200);
    const bad = await page
      .post('/personnes/rattachement')
      .type('form')
      .send({ _csrf: csrfOf(results.text), matchToken: 'faux' })
      .expect(303);
    expect(bad.headers.location).toBe('/personnes');
  });
});

describe('persons recorded before matching', () => {
  it('when match keys are backfilled, then a demo person recorded by the France Services is found by the CCAS, once', async () => {
    const { backfillMatchKeys, identityMatchSecretOf } = await import('../src/index.ts');
    const { sessionSecret } = await import('./harness.ts');
    const secret = identityMatchSecretOf(undefined, sessionSecret);
    expect(await backfillMatchKeys(database.db, secret)).toBeGreaterThan(0);
    expect(await backfillMatchKeys(database.db, secret)).toBe(0);
    // Yasmine Benali, a demo person of the France Services de Laragne-Montéglin.
    const ccas = await logInAs(world.app, emails.foreign);
    const search = await ccas
      .post('/api/v1/persons/search')
      .send({ familyName: 'Benali', givenNames: 'Yasmine', birthDate: '2003-02-27' });
    expect(search.body.knownElsewhere).toEqual([{ matchToken: expect.any(String), structureKinds: ['france_services'] }]);
  });
});
