import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assessments, caseEvents, cases, persons, referentHandovers } from '@parcours/db';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { count } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenDesk } from '../src/index.ts';
import { csrfOf, logInThroughForm } from './pages/page-client.ts';
import { completeAnswers, createTerritoryWorld, emails, logInAs, openLaragneCase, problemOf } from './territory-world.ts';

/**
 * Careless or hostile input: every one of these answered 500 once. Each must be a 4xx problem (or the French
 * error page on the pages) and change nothing.
 */
let database: TestDatabase;
let app: Express;
let reception: TestAgent;
let foreignOrganisationId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const world = await createTerritoryWorld(database.db, (await database.connectAsService()).db);
  app = world.app;
  foreignOrganisationId = world.organisationIds['ccas-gap'] as string;
  reception = await logInAs(app, emails.reception);
});
afterAll(async () => {
  await database?.close();
});

async function writeCounts() {
  const db = database.db;
  const counted = await Promise.all(
    [persons, cases, caseEvents, assessments, referentHandovers].map(
      async (table) => (await db.select({ n: count() }).from(table))[0]?.n,
    ),
  );
  return counted;
}

const nul = 'Dupont\u0000';
const loneSurrogate = 'Chauffage \ud800 coupé';

function expectTextRefused(response: request.Response, field: string) {
  expect(response.status).toBe(400);
  const problem = problemOf(response);
  expect(problem.type).toBe('urn:parcours:problem:validation-failed');
  expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  expect(JSON.stringify(problem.errors)).toMatch(/caractère/);
}

describe('bad input: free text', () => {
  it('when a NUL byte is in any free-text field, then the answer is a 400 naming the field and nothing is written', async () => {
    const { caseId } = await openLaragneCase(reception);
    const before = await writeCounts();

    expectTextRefused(
      await reception.post('/api/v1/persons').send({ familyName: nul, givenNames: 'Jeanne', birthDate: '1943-02-11' }),
      'familyName',
    );
    expectTextRefused(
      await reception.post('/api/v1/cases').send({ channel: 'physical', expressedRequest: `Loyer${'\u0000'}`, members: [] }),
      'expressedRequest',
    );
    const read = await reception.get(`/api/v1/cases/${caseId}`).expect(200);
    expectTextRefused(
      await reception.post(`/api/v1/cases/${caseId}/referent`).send({
        expectedRevision: read.body.revision,
        referentOrganisationId: foreignOrganisationId,
        note: 'Suivi\u0000',
      }),
      'note',
    );
    expectTextRefused(
      await reception
        .post(`/api/v1/cases/${caseId}/orientation-choices`)
        .send({ serviceId: 'caf-acces-droits', reasonCode: 'person_preference', reasonText: 'x\u0000' }),
      'reasonText',
    );
    expect(await writeCounts()).toEqual(before);
  });

  it('when an assessment draft holds a NUL byte or a lone surrogate, then it is refused with the field and the draft keeps its last good answers', async () => {
    const { caseId } = await openLaragneCase(reception);
    const draft = await reception.post(`/api/v1/cases/${caseId}/assessments`).expect(201);
    const good = completeAnswers({ housing: { level: 'severe', note: 'Chauffage coupé' } });
    await reception.post(`/api/v1/assessments/${draft.body.id}/draft`).send({ answers: good }).expect(200);

    const withSurrogate = completeAnswers({ housing: { level: 'severe', note: loneSurrogate } });
    // JSON.stringify escapes a lone surrogate as \ud800, which JSON.parse turns back into one.
    expectTextRefused(
      await reception.post(`/api/v1/assessments/${draft.body.id}/draft`).send({ answers: withSurrogate }),
      'answers.needs.housing.note',
    );
    const withNul = completeAnswers({ housing: { level: 'severe', note: 'a\u0000b' } });
    expectTextRefused(
      await reception.post(`/api/v1/assessments/${draft.body.id}/draft`).send({ answers: withNul }),
      'answers.needs.housing.note',
    );
    const kept = await reception.get(`/api/v1/assessments/${draft.body.id}`).expect(200);
    expect(kept.body.answers.needs.housing.note).toBe('Chauffage coupé');
  });

  it('when text carries tabs and line breaks, then it is accepted as typed', async () => {
    const created = await reception
      .post('/api/v1/persons')
      .send({ familyName: 'Martin', givenNames: 'Jeanne', birthDate: '1943-02-11' })
      .expect(201);
    const opened = await reception
      .post('/api/v1/cases')
      .send({
        channel: 'physical',
        expressedRequest: 'Factures de chauffage\n\timpayées',
        members: [{ personId: created.body.id, role: 'primary' }],
      })
      .expect(201);
    expect(opened.body.id).toEqual(expect.any(String));
  });
});

describe('bad input: addresses and query strings', () => {
  it('when a name holds no letter, then it is refused; a search for « % » or « _ » matches no one', async () => {
    const emoji = await reception.post('/api/v1/persons').send({ familyName: '👵👵', givenNames: 'Jeanne' });
    expect(emoji.status).toBe(400);
    expect(problemOf(emoji).errors).toEqual([expect.objectContaining({ field: 'familyName' })]);
    expect((await reception.post('/api/v1/persons/search').send({ familyName: '%%%' })).status).toBe(400);
    const underscore = await reception.post('/api/v1/persons/search').send({ familyName: 'R_y' }).expect(200);
    expect(underscore.body.candidates).toEqual([]);
  });

  it('when a path carries malformed percent-encoding, then the answer is a 400 problem, logged in or not', async () => {
    for (const client of [request(app), reception]) {
      const response = await client.get('/api/v1/cases/%ff');
      expect(response.status).toBe(400);
      expect(problemOf(response).type).toBe('urn:parcours:problem:malformed-address');
    }
  });

  it('when the audit list is asked from year 0, then the date is refused as out of range', async () => {
    const auditor = await logInAs(app, 'auditrice@demo.parcours.test');
    const response = await auditor.get('/api/v1/audit/events?from=0000-01-01T00:00:00Z');
    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual([expect.objectContaining({ field: 'from' })]);
    const page = await (await logInThroughForm(app, 'auditrice@demo.parcours.test')).get('/audit?du=0000-01-01');
    expect(page.status).toBe(400);
    expect(page.text).toContain('Date hors des années');
  });

  it('when a query string is larger than the server reads, then the answer is a 431 problem in French, not a bare status', async () => {
    const server = listenDesk(app, 0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: `/api/v1/persons/search?q=${'a'.repeat(70_000)}` }, (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer.status).toBe(431);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 431, detail: expect.stringMatching(/trop longs/) });
    } finally {
      server.close();
    }
  });
});

describe('bad input: pages', () => {
  it('when a page form comes from a foreign origin, then the French error page answers 403', async () => {
    const client = await logInThroughForm(app, emails.reception);
    const page = await client.get('/personnes').expect(200);
    const response = await client
      .post('/personnes')
      .set('Origin', 'https://ailleurs.example')
      .type('form')
      .send({ _csrf: csrfOf(page.text), nom: 'Martin' });
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('autre site');
  });

  it('when a page form is over the size limit or has more than 1,000 fields, then the French error page answers 413', async () => {
    const client = await logInThroughForm(app, emails.reception);
    const page = await client.get('/personnes').expect(200);
    const csrf = csrfOf(page.text);
    const big = await client
      .post('/personnes')
      .type('form')
      .send({ _csrf: csrf, nom: 'x'.repeat(200_000) });
    expect(big.status).toBe(413);
    expect(big.headers['content-type']).toMatch(/^text\/html/);
    expect(big.text).toContain('trop volumineu');
    const fields = Object.fromEntries(Array.from({ length: 1_100 }, (_, index) => [`champ${index}`, 'x']));
    const many = await client
      .post('/personnes')
      .type('form')
      .send({ _csrf: csrf, ...fields });
    expect(many.status).toBe(413);
    expect(many.headers['content-type']).toMatch(/^text\/html/);
  });

  it('when a page form carries a NUL byte, then the French error page answers 400', async () => {
    const client = await logInThroughForm(app, emails.reception);
    const page = await client.get('/personnes').expect(200);
    const before = await writeCounts();
    const response = await client
      .post('/personnes')
      .type('form')
      .send({ _csrf: csrfOf(page.text), familyName: nul, givenNames: 'Jeanne', birthDate: '1943-02-11' });
    expect(await writeCounts()).toEqual(before);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('caractère');
  });
});

describe('no work before authentication', () => {
  /**
   * Sends the headers of a large body and only its first kilobyte, then waits for an answer: a server that
   * reads the body before deciding would wait for the rest and never answer.
   */
  async function answerToPartialBody(path: string, contentType: string, cookie?: string) {
    const server = listenDesk(app, 0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      return await new Promise<{ status: number; location?: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'POST',
            headers: { 'content-type': contentType, 'content-length': 20 * 1024 * 1024, ...(cookie ? { cookie } : {}) },
          },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}) });
            req.destroy();
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ECONNRESET') reject(error);
        });
        req.write('x'.repeat(1024));
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }

  it('when an anonymous client starts sending a 20 MB directory, then it is refused before its body is read', async () => {
    expect(await answerToPartialBody('/api/v1/directory/import', 'application/json')).toEqual({ status: 401 });
    expect(await answerToPartialBody('/annuaire/import', 'multipart/form-data; boundary=x')).toMatchObject({ status: 303 });
  });

  it('when an agent without the import permission starts sending a 20 MB directory, then it is refused before its body is read', async () => {
    const login = await request(app)
      .post('/api/v1/auth/login')
      .send({ email: emails.reception, password: 'parcours-demo' })
      .expect(200);
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0] as string;
    expect(await answerToPartialBody('/api/v1/directory/import', 'application/json', cookie)).toEqual({ status: 403 });
  });

  it('when a route takes no body larger than the default, then 200 KB of JSON is refused with 413 even when logged in', async () => {
    const response = await reception.post('/api/v1/persons').send({ familyName: 'Martin', givenNames: 'x'.repeat(200 * 1024) });
    expect(response.status).toBe(413);
    expect(problemOf(response).type).toBe('urn:parcours:problem:payload-too-large');
  });
});

describe('answers carrying person data', () => {
  it('when a person, a case or a page is read, then the answer says no-store; a stylesheet may be cached', async () => {
    const { caseId, personId } = await openLaragneCase(reception);
    for (const path of [`/api/v1/cases/${caseId}`, `/api/v1/cases/${caseId}/timeline`, `/api/v1/persons/${personId}/consents`]) {
      const response = await reception.get(path).expect(200);
      expect({ path, cacheControl: response.headers['cache-control'] }).toEqual({ path, cacheControl: 'no-store' });
    }
    const client = await logInThroughForm(app, emails.reception);
    const page = await client.get(`/dossiers/${caseId}`).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const stylesheet = /href="(\/static\/[^"]+\.css)"/.exec(page.text)?.[1] as string;
    const css = await request(app).get(stylesheet).expect(200);
    expect(css.headers['cache-control']).not.toBe('no-store');
  });
});
