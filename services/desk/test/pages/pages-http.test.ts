import { auditEvents, caseEvents, contacts, personIdentities, sessions } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { and, count, eq } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld, password } from '../harness.ts';

let database: TestDatabase;
let world: DeskWorld;
let app: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createDeskWorld(database.db);
  ({ app } = createTestApp((await database.connectAsService()).db));
});
afterAll(async () => {
  await database?.close();
});

/** The `_csrf` value of the first form of a page. */
function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token in the page');
  return token;
}

/** A browser-like client: keeps cookies, logs in through the login form. */
async function logInThroughForm(email: string): Promise<TestAgent> {
  const client = request.agent(app);
  const page = await client.get('/connexion').expect(200);
  await client
    .post('/connexion')
    .type('form')
    .send({ _csrf: csrfOf(page.text), email, password })
    .expect(303);
  return client;
}

describe('pages: landing and navigation by role', () => {
  it('when a partner-only agent logs in, then the inbox is the first page and the reception entries are not offered', async () => {
    const client = request.agent(app);
    const page = await client.get('/connexion').expect(200);
    const login = await client
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: world.partnerEmail, password })
      .expect(303);
    expect(login.headers.location).toBe('/partenaire/orientations');
    expect((await client.get('/').expect(303)).headers.location).toBe('/partenaire/orientations');
    const inbox = await client.get('/partenaire/orientations').expect(200);
    expect(inbox.text).toContain('href="/partenaire/orientations"');
    expect(inbox.text).not.toContain('href="/mon-travail"');
    expect(inbox.text).not.toContain('href="/personnes"');
    expect(inbox.text).not.toContain('href="/contacts/nouveau"');
  });

  it('when a reception agent logs in, then the work list is the first page with the reception entries and the inbox of referrals received, without audit', async () => {
    const client = await logInThroughForm(world.agentEmail);
    expect((await client.get('/').expect(303)).headers.location).toBe('/mon-travail');
    const work = await client.get('/mon-travail').expect(200);
    expect(work.text).toContain('href="/personnes"');
    expect(work.text).toContain('href="/contacts/nouveau"');
    // Receiving referrals is part of every structure's work.
    expect(work.text).toContain('href="/partenaire/orientations"');
    expect(work.text).not.toContain('href="/audit"');
  });
});

describe('pages: login and session', () => {
  it('when the login page is asked, then it is French DSFR with a strict CSP, a CSRF field and no inline script or style', async () => {
    const response = await request(app).get('/connexion').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toContain('<html lang="fr"');
    expect(response.text).toMatch(/\/static\/dsfr\/1\.14\.4\/dsfr\.min\.css/);
    expect(response.text).toContain('name="_csrf"');
    expect(response.text).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>|style="|<style/);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('when DSFR files are asked, then the app serves them itself with a long immutable cache', async () => {
    const page = await request(app).get('/connexion');
    const css = /href="(\/static\/desk\/desk\.[0-9a-f]+\.css)"/.exec(page.text)?.[1] ?? '';
    for (const path of ['/static/dsfr/1.14.4/dsfr.min.css', '/static/dsfr/1.14.4/dsfr.module.min.js', css]) {
      const response = await request(app).get(path).expect(200);
      expect(response.headers['cache-control']).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    }
    expect((await request(app).get(css)).text).toContain('.jd-current');
  });

  it('when the password is wrong, then the login page says so clearly, with 401, and opens no session', async () => {
    const client = request.agent(app);
    const page = await client.get('/connexion');
    const response = await client
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: world.agentEmail, password: 'wrong password' })
      .expect(401);
    expect(response.text).toContain('Adresse e-mail ou mot de passe incorrect');
    await client.get('/mon-travail').expect(303).expect('location', '/connexion');
  });

  it('when a form comes without its CSRF token, then it is refused with a page, and nothing happens', async () => {
    const response = await request(app).post('/connexion').type('form').send({ email: world.agentEmail, password }).expect(403);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('Le formulaire a expiré');
  });

  it('when the session has expired, then the next page sends to the login page with the expiry explained', async () => {
    const client = await logInThroughForm(world.agentEmail);
    await client.get('/mon-travail').expect(200);
    await database.db.delete(sessions).where(eq(sessions.agentId, world.agentId));
    const redirect = await client.get('/mon-travail').expect(303);
    expect(redirect.headers.location).toBe('/connexion?motif=session-expiree');
    const login = await client.get(redirect.headers.location as string).expect(200);
    expect(login.text).toContain('Votre session a expiré');
  });

  it('when an agent of two organisations logs in, then the desk asks which one before anything else', async () => {
    const client = request.agent(app);
    const page = await client.get('/connexion');
    await client
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: world.twoOrganisationsEmail, password })
      .expect(303)
      .expect('location', '/structure');
    await client.get('/mon-travail').expect(303).expect('location', '/structure');
    const choose = await client.get('/structure').expect(200);
    await client
      .post('/structure')
      .type('form')
      .send({ _csrf: csrfOf(choose.text), organisationId: world.entryOrganisationId })
      .expect(303)
      .expect('location', '/mon-travail');
    const work = await client.get('/mon-travail').expect(200);
    expect(work.text).toContain('France Services de Laragne-Montéglin');
  });

  it('when the agent logs out, then the session ends and the login page says so', async () => {
    const client = await logInThroughForm(world.agentEmail);
    const work = await client.get('/mon-travail').expect(200);
    const out = await client
      .post('/deconnexion')
      .type('form')
      .send({ _csrf: csrfOf(work.text) })
      .expect(303);
    expect(out.headers.location).toBe('/connexion?motif=deconnexion');
    expect((await client.get('/connexion?motif=deconnexion')).text).toContain('Vous êtes déconnecté');
    await client.get('/mon-travail').expect(303);
  });
});

describe('pages: persons, cases and contacts', () => {
  it('when a person is searched, then names go in the POST body only, duplicates come before the creation form, and creation needs the check', async () => {
    const client = await logInThroughForm(world.agentEmail);
    const search = await client.get('/personnes').expect(200);
    const results = await client
      .post('/personnes/recherche')
      .type('form')
      .send({ _csrf: csrfOf(search.text), familyName: 'martin', givenNames: 'camille', birthDate: '', communeInsee: '' })
      .expect(200);
    expect(results.text).toContain('MARTIN Camille');
    expect(results.text).not.toMatch(/<title>[^<]*Martin/i);
    expect(results.text.indexOf('Doublons possibles')).toBeLessThan(results.text.indexOf('Créer une nouvelle personne'));
    const refused = await client
      .post('/personnes')
      .type('form')
      .send({ _csrf: csrfOf(results.text), familyName: 'Martin', givenNames: 'Camille' })
      .expect(409);
    expect(refused.text).toContain('J’ai vérifié');
    const created = await client
      .post('/personnes')
      .type('form')
      .send({ _csrf: csrfOf(refused.text), familyName: 'Martin', givenNames: 'Camille', confirmNoDuplicate: 'oui' })
      .expect(303);
    expect(created.headers.location).toMatch(/^\/dossiers\/nouveau\?personne=[0-9a-f-]{36}$/);
  });

  it('when the agent types a commune’s name, then the search and the creation find its code and show its name; a name unknown or shared is explained', async () => {
    const client = await logInThroughForm(world.agentEmail);
    const search = await client.get('/personnes').expect(200);
    // The field suggests the communes of the territory's département, by name with the code beside.
    expect(search.text).toContain('list="communes-du-departement"');
    expect(search.text).toContain('<option value="Laragne-Montéglin (05070)">');
    expect(search.text).not.toContain('5 caractères');
    const found = await client
      .post('/personnes/recherche')
      .type('form')
      .send({ _csrf: csrfOf(search.text), familyName: 'Aubert', communeInsee: 'laragne montéglin' })
      .expect(200);
    expect(found.text).toContain('value="Laragne-Montéglin (05070)"');
    const unknown = await client
      .post('/personnes/recherche')
      .type('form')
      .send({ _csrf: csrfOf(search.text), familyName: 'Aubert', communeInsee: 'Laragnne' })
      .expect(400);
    expect(unknown.text).toContain('La commune « Laragnne » est inconnue : vérifiez l’orthographe ou choisissez dans la liste.');
    expect(unknown.text).toContain('value="Laragnne"');
    const created = await client
      .post('/personnes')
      .type('form')
      .send({
        _csrf: csrfOf(found.text),
        familyName: 'Aubert',
        givenNames: 'Rose',
        communeInsee: 'Laragne-Montéglin (05070)',
        confirmNoDuplicate: 'oui',
      })
      .expect(303);
    const personId = /personne=([0-9a-f-]{36})/.exec(created.headers.location ?? '')?.[1] as string;
    const [identity] = await database.db
      .select({ commune: personIdentities.communeInsee })
      .from(personIdentities)
      .where(eq(personIdentities.personId, personId));
    expect(identity?.commune).toBe('05070');
  });

  it('when a case is opened and moved from a form, then the page shows the new stage, the timeline and the diagram', async () => {
    const client = await logInThroughForm(world.agentEmail);
    const form = await client.get(`/dossiers/nouveau?personne=${world.personId}`).expect(200);
    expect(form.text).toContain('Camille MARTIN');
    const opened = await client
      .post('/dossiers')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        personId: world.personId,
        channel: 'phone',
        expressedRequest: 'Je ne sais plus comment payer ma facture d’eau',
      })
      .expect(303);
    const casePath = opened.headers.location as string;
    expect(casePath).toMatch(/^\/dossiers\/[0-9a-f-]{36}$/);
    const page = await client.get(casePath).expect(200);
    expect(page.text).toContain('<title>Dossier — étape Accueil — Parcours</title>');
    expect(page.text).toContain('Dossier ouvert');
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('name="expectedRevision" value="0"');
    // The step's deadline reads as a date to meet, and the diagram does not show it as passed.
    expect(page.text).toMatch(/<time datetime="[^"]+">Accueil à terminer avant le \d{1,2} \S+ \d{4} à \d{2}:\d{2}<\/time>/);
    expect(page.text).not.toContain('Délai d’accueil dépassé');
    await client
      .post(`${casePath}/evenements`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), type: 'START_ASSESSMENT', expectedRevision: '0' })
      .expect(303);
    const moved = await client.get(casePath).expect(200);
    expect(moved.text).toContain('Étape : Évaluation');
    expect(moved.text).toContain('Évaluation commencée');
    expect(moved.text).toContain('Agent d’accueil');
    expect(moved.text).toContain('Évaluation à terminer avant le');
    expect(moved.text).not.toContain('Accueil à terminer avant le');

    // A second submission of the stale form: refused, the change shown, nothing written twice.
    const stale = await client
      .post(`${casePath}/evenements`)
      .type('form')
      .send({ _csrf: csrfOf(moved.text), type: 'START_ASSESSMENT', expectedRevision: '0' })
      .expect(409);
    expect(stale.text).toContain('n’a pas été enregistrée');
    expect(stale.text).toContain('Évaluation commencée');
    const caseId = casePath.split('/')[2] as string;
    const [events] = await database.db.select({ n: count() }).from(caseEvents).where(eq(caseEvents.caseId, caseId));
    expect(events?.n).toBe(2);

    // Closing needs a coded reason.
    const missing = await client
      .post(`${casePath}/evenements`)
      .type('form')
      .send({ _csrf: csrfOf(stale.text), type: 'CLOSE', expectedRevision: '1' })
      .expect(400);
    expect(missing.text).toContain('Choisissez le motif de clôture');
  });

  it('when a quick contact is recorded without a person, then it is stored, audited and counted', async () => {
    const client = await logInThroughForm(world.agentEmail);
    const form = await client.get('/contacts/nouveau').expect(200);
    expect(form.text).toContain('Prestations sociales');
    const invalid = await client
      .post('/contacts')
      .type('form')
      .send({ _csrf: csrfOf(form.text), channel: 'phone' })
      .expect(400);
    expect(invalid.text).toContain('Choisissez le sujet de la demande');
    await client
      .post('/contacts')
      .type('form')
      .send({ _csrf: csrfOf(invalid.text), channel: 'phone', topic: 'prestations-sociales', outcome: 'answered' })
      .expect(303)
      .expect('location', '/contacts/nouveau');
    const [row] = await database.db.select().from(contacts).where(eq(contacts.organisationId, world.entryOrganisationId));
    expect(row).toMatchObject({ channel: 'phone', topic: 'prestations-sociales', outcome: 'answered', personId: null });
    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'contact.record'), eq(auditEvents.actorId, world.agentId)));
    expect(audit).toHaveLength(1);
    expect((await client.get('/contacts/nouveau')).text).toMatch(/aujourd’hui par votre structure : <strong>1<\/strong>/);
  });

  it('when an agent of another organisation asks for the case page, then it is a 404 page like any unknown case', async () => {
    const owner = await logInThroughForm(world.agentEmail);
    const form = await owner.get(`/dossiers/nouveau?personne=${world.personId}`);
    const opened = await owner
      .post('/dossiers')
      .type('form')
      .send({ _csrf: csrfOf(form.text), personId: world.personId, channel: 'physical', expressedRequest: 'Aide pour le loyer' });
    const foreign = await logInThroughForm(world.foreignEmail);
    const response = await foreign.get(opened.headers.location as string).expect(404);
    expect(response.text).toContain('Page introuvable');
    expect(response.text).not.toContain('MARTIN');
  });
});
