import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskWorld, createTestApp, type DeskWorld, logIn } from './harness.ts';

let database: TestDatabase;
let world: DeskWorld;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await createDeskWorld(database.db);
});
afterAll(async () => {
  await database?.close();
});

type Operation = {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
  responses: Record<string, unknown>;
  security?: unknown[];
};

describe('OpenAPI document', () => {
  it('when fetched, then it is OpenAPI 3.1 with a stable camelCase operationId on every operation', async () => {
    const { app } = createTestApp(database.db);
    const { body: document } = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.values(document.paths as Record<string, Record<string, Operation>>).flatMap((methods) =>
      Object.values(methods),
    );
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z]+$/);
    expect(ids).toEqual(
      expect.arrayContaining([
        'login',
        'logout',
        'chooseActingOrganisation',
        'createPerson',
        'searchPersons',
        'openCase',
        'getCase',
        'listCases',
        'sendCaseEvent',
        'getCaseTimeline',
        'getHealth',
      ]),
    );
    for (const operation of operations) {
      expect(Object.keys(operation.responses).length).toBeGreaterThan(1);
      expect(operation.responses['500']).toBeDefined();
    }
  });

  it('when an operation takes ids or a body, then the document says so: required path ids, required body fields, 409s', async () => {
    const { app } = createTestApp(database.db);
    const { body: document } = await request(app).get('/api/v1/openapi.json').expect(200);
    const paths = document.paths as Record<string, Record<string, Operation>>;
    const getCase = paths['/api/v1/cases/{caseId}']?.get;
    expect(getCase?.parameters).toEqual([expect.objectContaining({ name: 'caseId', in: 'path', required: true })]);
    const send = paths['/api/v1/cases/{caseId}/events']?.post;
    expect(send?.requestBody?.content['application/json']?.schema.required).toEqual(['event', 'expectedRevision']);
    expect(Object.keys(send?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409']));
    expect(paths['/api/v1/cases']?.get?.parameters?.map((parameter) => parameter.name)).toEqual([
      'stage',
      'channel',
      'page',
      'pageSize',
    ]);
    expect(paths['/api/v1/auth/login']?.post?.security).toEqual([]);
    expect(document.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail', 'requestId']);
  });

  it('when a route exists, then the document has its operation (the router and the document come from one registry)', async () => {
    const { app } = createTestApp(database.db);
    const { body: document } = await request(app).get('/api/v1/openapi.json').expect(200);
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const router = (
      app as unknown as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }
    ).router;
    const mounted = router.stack
      .filter((layer) => layer.route)
      .flatMap((layer) =>
        Object.keys(layer.route?.methods ?? {})
          .filter((method) => method !== '_all')
          .map((method) => `${method} ${layer.route?.path}`),
      );
    expect(mounted.sort()).toEqual(documented.sort());
  });
});

describe('session view', () => {
  it('when logged in, then the session route names the agent and the acting organisation', async () => {
    const { app } = createTestApp(database.db);
    const client = await logIn(app, world.agentEmail);
    const { body } = await client.get('/api/v1/auth/session').expect(200);
    expect(body).toMatchObject({ agent: { id: world.agentId }, actingOrganisationId: world.entryOrganisationId });
  });
});
