import { sessions } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld, logIn, password } from './harness.ts';

let database: TestDatabase;
let world: DeskWorld;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createDeskWorld(database.db);
});
afterAll(async () => {
  await database?.close();
});

const problemOf = (response: request.Response) => {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return JSON.parse(response.text) as Record<string, unknown>;
};

describe('login', () => {
  it('when the password is right, then the session acts for the agent’s only organisation, in an HttpOnly Lax cookie without Secure', async () => {
    const { app } = createTestApp(database.db);
    const response = await request(app)
      .post('/api/v1/auth/login')
      .send({ email: world.agentEmail.toUpperCase(), password })
      .expect(200);
    expect(response.body).toMatchObject({
      agent: { id: world.agentId, displayName: 'Agent d’accueil' },
      organisations: [{ id: world.entryOrganisationId, roles: ['reception', 'referent'] }],
      actingOrganisationId: world.entryOrganisationId,
    });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^parcours\.sid=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('when cookies are configured secure (behind HTTPS), then the cookie says Secure', async () => {
    const { app } = createTestApp(database.db, { cookieSecure: true, trustProxy: 1 });
    const response = await request(app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .send({ email: world.agentEmail, password })
      .expect(200);
    expect(String(response.headers['set-cookie'])).toMatch(/Secure/);
  });

  it('when logged in, then the session lives in the sessions table under a hash of its id, with agent and organisation', async () => {
    const { app } = createTestApp(database.db);
    const response = await request(app).post('/api/v1/auth/login').send({ email: world.agentEmail, password }).expect(200);
    const sid =
      decodeURIComponent(String(response.headers['set-cookie']).split(';')[0]?.split('=')[1] ?? '')
        .slice(2)
        .split('.')[0] ?? '';
    const rows = await database.db.select().from(sessions).where(eq(sessions.agentId, world.agentId));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.id === sid)).toBe(false);
    expect(rows.every((row) => row.actingOrganisationId === world.entryOrganisationId)).toBe(true);
  });

  it('when the password or the e-mail is wrong, then 401 invalid-credentials and no session', async () => {
    const { app } = createTestApp(database.db);
    for (const body of [
      { email: world.agentEmail, password: 'wrong' },
      { email: 'nobody@example.test', password },
    ]) {
      const response = await request(app).post('/api/v1/auth/login').send(body).expect(401);
      expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:invalid-credentials', status: 401 });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });

  it('when the body is not a login, then 400 with the invalid fields in French', async () => {
    const { app } = createTestApp(database.db);
    const response = await request(app).post('/api/v1/auth/login').send({ email: 'not an e-mail', password: 42 }).expect(400);
    const problem = problemOf(response);
    expect(problem).toMatchObject({ type: 'urn:parcours:problem:validation-failed', title: 'Données invalides' });
    expect((problem.errors as Array<{ field: string }>).map((issue) => issue.field).sort()).toEqual(['email', 'password']);
    expect(problem.errors).toEqual([
      { field: 'email', message: 'L’adresse e-mail n’est pas une adresse e-mail valide.' },
      { field: 'password', message: 'Le mot de passe doit être un texte.' },
    ]);
  });
});

describe('acting organisation', () => {
  it('when an agent belongs to two organisations, then the session acts for none until one is chosen', async () => {
    const { app } = createTestApp(database.db);
    const client = request.agent(app);
    const login = await client.post('/api/v1/auth/login').send({ email: world.twoOrganisationsEmail, password }).expect(200);
    expect(login.body.actingOrganisationId).toBeNull();
    expect(login.body.organisations).toHaveLength(2);

    const refused = await client.get('/api/v1/cases').expect(403);
    expect(problemOf(refused)).toMatchObject({ type: 'urn:parcours:problem:acting-organisation-required' });

    const foreign = await client
      .post('/api/v1/auth/acting-organisation')
      .send({ organisationId: world.foreignOrganisationId })
      .expect(403);
    expect(problemOf(foreign)).toMatchObject({ type: 'urn:parcours:problem:forbidden' });

    const chosen = await client
      .post('/api/v1/auth/acting-organisation')
      .send({ organisationId: world.entryOrganisationId })
      .expect(200);
    expect(chosen.body.actingOrganisationId).toBe(world.entryOrganisationId);
    await client.get('/api/v1/cases').expect(200);
    const session = await client.get('/api/v1/auth/session').expect(200);
    expect(session.body).toMatchObject({
      agent: { id: world.twoOrganisationsAgentId },
      actingOrganisationId: world.entryOrganisationId,
    });
  });

  it('when logged out, then the session is gone and the API answers 401', async () => {
    const { app } = createTestApp(database.db);
    const client = await logIn(app, world.agentEmail);
    await client.get('/api/v1/cases').expect(200);
    await client.post('/api/v1/auth/logout').expect(204);
    const response = await client.get('/api/v1/cases').expect(401);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:unauthenticated', status: 401 });
  });

  it('when nobody is logged in, then every acting route answers 401', async () => {
    const { app } = createTestApp(database.db);
    await request(app).get('/api/v1/cases').expect(401);
    await request(app).post('/api/v1/persons').send({}).expect(401);
    await request(app).get('/api/v1/auth/session').expect(401);
  });
});

describe('cross-site protection', () => {
  it('when a write comes from another origin, then 403 origin-not-allowed; own, configured or absent origins pass', async () => {
    const { app } = createTestApp(database.db, { allowedOrigins: ['https://parcours.example.fr'] });
    const foreign = await request(app)
      .post('/api/v1/auth/login')
      .set('Origin', 'https://evil.example')
      .send({ email: world.agentEmail, password })
      .expect(403);
    expect(problemOf(foreign)).toMatchObject({ type: 'urn:parcours:problem:origin-not-allowed' });
    await request(app)
      .post('/api/v1/auth/login')
      .set('Origin', 'https://parcours.example.fr')
      .send({ email: world.agentEmail, password })
      .expect(200);
    await request(app)
      .post('/api/v1/auth/login')
      .set('Host', 'desk.localhost:3000')
      .set('Origin', 'http://desk.localhost:3000')
      .send({ email: world.agentEmail, password })
      .expect(200);
    await request(app).post('/api/v1/auth/login').send({ email: world.agentEmail, password }).expect(200);
  });

  it('when the API gets a body that is not JSON, then 415', async () => {
    const { app } = createTestApp(database.db);
    const response = await request(app)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ email: world.agentEmail, password }))
      .expect(415);
    expect(problemOf(response)).toMatchObject({ type: 'urn:parcours:problem:unsupported-media-type' });
  });

  it('when a form is posted without the session’s CSRF token, then 403; with it, it goes through', async () => {
    const { app } = createTestApp(database.db);
    const client = request.agent(app);
    const { body } = await client.get('/api/v1/auth/csrf').expect(200);
    expect(body.csrfToken).toEqual(expect.any(String));
    const form = { email: world.agentEmail, password };
    const refused = await client.post('/connexion').type('form').send(form).expect(403);
    // Outside /api the refusal is a page (the desk's HTML pages), not a problem document.
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.text).toContain('Le formulaire a expiré');
    // Past the CSRF check, the login form logs in.
    await client
      .post('/connexion')
      .type('form')
      .send({ ...form, _csrf: body.csrfToken })
      .expect(303);
    // Or with the token in a header (a new session: logging in replaced the one above and its token).
    const other = request.agent(app);
    const { body: otherToken } = await other.get('/api/v1/auth/csrf').expect(200);
    await other.post('/connexion').set('X-CSRF-Token', otherToken.csrfToken).type('form').send(form).expect(303);
  });
});
