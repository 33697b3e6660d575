import { randomUUID } from 'node:crypto';
import { agents, auditEvents, memberships, organisations, partnerLinks } from '@parcours/db';
import { demoPassword } from '@parcours/demo-territory';
import { createDirectoryImport } from '@parcours/directory-store';
import { createReferral, type EngineClock, sendReferralEvent } from '@parcours/engine';
import { createFixtureTerritory, createTestDatabase, type TestDatabase } from '@parcours/testing';
import { type MembershipRole, membershipRoles } from '@parcours/vocabulary';
import argon2 from 'argon2';
import { eq, inArray } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityMatchSecretOf, signMatchToken } from '../src/index.ts';
import {
  type Cell,
  type ConsentState,
  conditionOrder,
  conditionValues,
  type Expectation,
  type ExpectedOutcome,
  expectations,
  expectedOutcome,
  type LinkState,
  type OperationId,
  type OrganisationRelation,
  organisationRelations,
  type Principal,
  personDataOperations,
  type ReferralState,
} from './authorization-matrix.expectations.ts';
import { metricsToken, sessionSecret } from './harness.ts';
import { completeAnswers, createTerritoryWorld, emails, housingAndWork, logInAs } from './territory-world.ts';

/**
 * The authorization matrix (issue 8): every operation of the served OpenAPI document × every principal ×
 * the conditions its entry declares, called over HTTP and compared with `authorization-matrix.expectations.ts`.
 * One world per file; one session per role × organisation; a file (person, case, assessment, consent,
 * referral, link) per set of conditions, shared by the calls that only read it, fresh for each call that
 * succeeds in changing it.
 */

let database: TestDatabase;
let app: Express;
let clock: EngineClock;
let documentPaths: Record<string, Record<string, { operationId: string }>>;
let setup: TestAgent;
let organisationIdOf: Record<'entry' | 'recipient' | 'neighbour' | 'outsider', string>;
let setupAgentId: string;
let partnerAgentId: string;
let serviceId: string;
/** An import handed in for the entry organisation's territory. */
let directoryImportId: string;
let notice: { version: number; sha256: string };
const sessions = new Map<string, TestAgent>();
let withoutActingOrganisation: TestAgent;

const matrixEmail = (role: MembershipRole) => `matrice.${role.replace('_', '-')}@demo.parcours.test`;
const sharing = {
  purposes: ['rights_opening', 'social_support'],
  categories: ['identity', 'contact', 'situation_summary'],
};

beforeAll(async () => {
  database = await createTestDatabase();
  // The app connects as the services do in production (a non-owner role under row-level security), so the
  // matrix also proves that no operation reads person data outside an actor transaction.
  const service = await database.connectAsService();
  const world = await createTerritoryWorld(database.db, service.db);
  app = world.app;
  clock = world.clock;
  const outsider = await createFixtureTerritory(database.db);
  organisationIdOf = {
    entry: world.entryOrganisationId,
    recipient: world.organisationIds.caf as string,
    neighbour: world.organisationIds['ccas-gap'] as string,
    outsider: outsider.entryOrganisationId,
  };

  // One agent per role, holding that role alone in four organisations: none is chosen at login.
  const passwordHash = await argon2.hash(demoPassword);
  for (const role of membershipRoles) {
    const [agent] = await database.db
      .insert(agents)
      .values({ email: matrixEmail(role), displayName: `Matrice ${role}`, passwordHash })
      .returning({ id: agents.id });
    await database.db.insert(memberships).values(
      Object.values(organisationIdOf).map((organisationId) => ({
        agentId: agent?.id as string,
        organisationId,
        roles: [role],
      })),
    );
  }
  const [setupAgent] = await database.db.select({ id: agents.id }).from(agents).where(eq(agents.email, emails.reception));
  const [partnerAgent] = await database.db.select({ id: agents.id }).from(agents).where(eq(agents.email, emails.partner));
  setupAgentId = setupAgent?.id as string;
  partnerAgentId = partnerAgent?.id as string;

  setup = await logInAs(app, emails.reception);
  withoutActingOrganisation = await logInAs(app, matrixEmail('reception'));
  await Promise.all(
    membershipRoles.flatMap((role) =>
      Object.values(organisationIdOf).map(async (organisationId) => {
        sessions.set(sessionKey(role, organisationId), await actingSession(role, organisationId));
      }),
    ),
  );

  const document = await request(app).get('/api/v1/openapi.json').expect(200);
  documentPaths = document.body.paths;
  const shown = await setup
    .get('/api/v1/consent-notice')
    .query({
      recipientOrganisationIds: [organisationIdOf.recipient, organisationIdOf.neighbour].join(','),
      purposes: sharing.purposes.join(','),
      categories: sharing.categories.join(','),
    })
    .expect(200);
  notice = { version: shown.body.version, sha256: shown.body.sha256 };
  const assessed = await createFile({ stage: 'orientation' });
  const suggestions = await setup.get(`/api/v1/cases/${assessed.caseId}/orientation-suggestions`).expect(200);
  const referable = (suggestions.body.suggestions as Array<{ serviceId: string; service: { referable: boolean } }>).find(
    (suggestion) => suggestion.service.referable,
  );
  serviceId = referable?.serviceId as string;
  expect(serviceId).toEqual(expect.any(String));
  const [entry] = await database.db
    .select({ territoryId: organisations.territoryId })
    .from(organisations)
    .where(eq(organisations.id, organisationIdOf.entry));
  directoryImportId = await createDirectoryImport(database.db, {
    territoryId: entry?.territoryId as string,
    agentId: setupAgentId,
    content: '{"services":[]}',
  });
}, 120_000);

afterAll(async () => {
  await database?.close();
});

const sessionKey = (role: MembershipRole, organisationId: string) => `${role}|${organisationId}`;

async function actingSession(role: MembershipRole, organisationId: string): Promise<TestAgent> {
  const client = await logInAs(app, matrixEmail(role));
  await client.post('/api/v1/auth/acting-organisation').send({ organisationId }).expect(200);
  return client;
}

function organisationOf(relation: OrganisationRelation, owner: Expectation['owner']): string {
  if (relation === 'own') return owner === 'entry' ? organisationIdOf.entry : organisationIdOf.recipient;
  return relation === 'neighbour' ? organisationIdOf.neighbour : organisationIdOf.outsider;
}

// ---------------------------------------------------------------------------------------------------------
// Files: what an operation is about, built through the API (the engine only where the API cannot: a referral
// sent without any consent, a partner's decline regardless of consent).

interface FileOptions {
  /** reception: just opened; assessment: assessment started; draft: a complete draft; orientation: assessment completed. */
  stage: 'reception' | 'assessment' | 'draft' | 'orientation';
  channel?: 'physical' | 'itinerant';
  consent?: ConsentState;
  referral?: 'draft' | ReferralState;
  link?: LinkState;
}

interface TestFile {
  personId: string;
  familyName: string;
  caseId: string;
  caseRevision: number;
  assessmentId: string | null;
  consentId: string | null;
  referralId: string | null;
  referralRevision: number;
  token: string | null;
}

let fileCount = 0;
/** Names are letters only and unique, so a duplicate search finds exactly this person. */
function uniqueFamilyName(): string {
  fileCount += 1;
  let n = fileCount;
  let letters = '';
  while (n > 0) {
    letters = String.fromCharCode(97 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return `Matrice${letters}`;
}

const day = 24 * 60 * 60 * 1000;
const entryActor = () => ({ kind: 'agent' as const, id: setupAgentId, organisationId: organisationIdOf.entry });

async function createFile(options: FileOptions): Promise<TestFile> {
  const familyName = uniqueFamilyName();
  const person = await setup
    .post('/api/v1/persons')
    .send({ familyName, givenNames: 'Camille', birthDate: '1980-04-12', communeInsee: '05070' })
    .expect(201);
  const personId = person.body.id as string;
  const opened = await setup
    .post('/api/v1/cases')
    .send({
      channel: options.channel ?? 'physical',
      expressedRequest: 'Je dois quitter mon logement et je cherche du travail',
      members: [{ personId, role: 'primary' }],
    })
    .expect(201);
  const caseId = opened.body.id as string;
  let assessmentId: string | null = null;
  if (options.stage !== 'reception') {
    await setup
      .post(`/api/v1/cases/${caseId}/events`)
      .send({ event: { type: 'START_ASSESSMENT' }, expectedRevision: 0 })
      .expect(200);
  }
  if (options.stage === 'draft' || options.stage === 'orientation') {
    const draft = await setup.post(`/api/v1/cases/${caseId}/assessments`).expect(201);
    assessmentId = draft.body.id as string;
    await setup
      .post(`/api/v1/assessments/${assessmentId}/draft`)
      .send({ answers: completeAnswers(housingAndWork), potentialRights: [{ right: 'apl', status: 'identified' }] })
      .expect(200);
  }
  if (options.stage === 'orientation') await setup.post(`/api/v1/assessments/${assessmentId}/complete`).expect(200);

  let consentId: string | null = null;
  if (options.consent === 'active' || options.consent === 'withdrawn') {
    const recorded = await setup.post('/api/v1/consents').send(consentBody(personId)).expect(201);
    consentId = recorded.body.id as string;
  }
  let referralId: string | null = null;
  let referralRevision = 0;
  let token: string | null = null;
  if (options.referral) {
    const draft = await createReferral(
      database.db,
      {
        caseId,
        fromOrganisationId: organisationIdOf.entry,
        toOrganisationId: organisationIdOf.recipient,
        purpose: 'rights_opening',
        sharedCategories: ['identity', 'contact', 'situation_summary'],
      },
      { actor: entryActor(), clock },
    );
    referralId = draft.id;
    if (options.referral !== 'draft') {
      if (consentId) {
        const sent = await setup.post(`/api/v1/referrals/${referralId}/send`).send({ expectedRevision: 0 }).expect(200);
        referralRevision = sent.body.revision;
      } else {
        // No consent was ever given: only the engine can send it, which is what makes the refusal testable.
        const sent = await sendReferralEvent(
          database.db,
          { referralId, event: { type: 'SEND' }, expectedRevision: 0 },
          { actor: entryActor(), clock },
        );
        referralRevision = sent.revision;
      }
      if (options.link) {
        const issued = await setup.post(`/api/v1/referrals/${referralId}/partner-links`).send({}).expect(201);
        token = issued.body.token as string;
        if (options.link === 'expired') {
          await database.db
            .update(partnerLinks)
            .set({ issuedAt: new Date(clock.now().getTime() - 9 * day), expiresAt: new Date(clock.now().getTime() - day) })
            .where(eq(partnerLinks.id, issued.body.linkId));
        }
      }
      if (options.referral === 'closed') {
        const declined = await sendReferralEvent(
          database.db,
          { referralId, event: { type: 'DECLINE', reason: 'service_full' }, expectedRevision: referralRevision },
          { actor: { kind: 'agent', id: partnerAgentId, organisationId: organisationIdOf.recipient }, clock },
        );
        referralRevision = declined.revision;
      }
    }
  }
  if (options.consent === 'withdrawn') {
    await setup
      .post(`/api/v1/consents/${consentId}/withdrawal`)
      .send({ withdrawnBy: 'person', channel: 'in_person' })
      .expect(200);
  }
  const read = await setup.get(`/api/v1/cases/${caseId}`).expect(200);
  return {
    personId,
    familyName,
    caseId,
    caseRevision: read.body.revision,
    assessmentId,
    consentId,
    referralId,
    referralRevision,
    token,
  };
}

/** A consent naming the recipient (its referrals) and the neighbour (a handover), on the notice shown for that scope. */
function consentBody(personId: string) {
  return {
    decision: 'consent',
    personId,
    givenBy: 'person',
    method: 'oral_attested',
    informationShown: { whatIsShared: true, withWhom: true, byWhatMeans: true, whichSecurity: true },
    notice,
    recipientOrganisationIds: [organisationIdOf.recipient, organisationIdOf.neighbour],
    purposes: sharing.purposes,
    categories: sharing.categories,
  };
}

// ---------------------------------------------------------------------------------------------------------
// How each operation is called: its file, path ids, query and a body valid enough to succeed when allowed.

interface OperationCall {
  file?: (cell: Cell) => FileOptions;
  params?: (file: TestFile) => Record<string, string>;
  query?: (file: TestFile) => Record<string, string>;
  body?: (file: TestFile, cell: Cell) => unknown;
  headers?: () => Record<string, string>;
  /** Lists: whether the answer shows the file. */
  shows?: (body: Record<string, unknown>, file: TestFile) => boolean;
}

const assessedFile = (): FileOptions => ({ stage: 'orientation' });
const caseParams = (file: TestFile) => ({ caseId: file.caseId });
const assessmentParams = (file: TestFile) => ({ assessmentId: file.assessmentId as string });
const personParams = (file: TestFile) => ({ personId: file.personId });
const referralParams = (file: TestFile) => ({ referralId: file.referralId as string });
const sentReferralFile =
  (conditions: { consent?: boolean; link?: boolean }) =>
  (cell: Cell): FileOptions => ({
    stage: 'orientation',
    consent: conditions.consent ? cell.consent : 'active',
    referral: cell.referral ?? 'active',
    ...(conditions.link ? { link: cell.link } : {}),
  });
const idsOf = (items: unknown) => (items as Array<{ id: string }>).map((item) => item.id);

const calls: Record<OperationId, OperationCall> = {
  getHealth: {},
  getReadiness: {},
  getMetrics: { headers: () => ({ Authorization: `Bearer ${metricsToken}` }) },
  getOpenApiDocument: {},
  getCsrfToken: {},
  login: { body: () => ({ email: matrixEmail('reception'), password: demoPassword }) },
  logout: {},
  getSession: {},
  chooseActingOrganisation: {
    body: (_file, cell) => ({
      organisationId:
        cell.principal.kind === 'acting' ? organisationOf(cell.principal.organisation, 'entry') : organisationIdOf.entry,
    }),
  },
  createPerson: { body: () => ({ familyName: 'Nouvelle', givenNames: 'Personne', communeInsee: '05070' }) },
  // The token a search hands the principal's organisation for the file's person (signed as the app signs it).
  linkKnownPerson: {
    file: () => ({ stage: 'reception' }),
    body: (file, cell) => ({
      matchToken: signMatchToken(
        identityMatchSecretOf(undefined, sessionSecret),
        cell.principal.kind === 'acting' ? organisationOf(cell.principal.organisation, 'entry') : organisationIdOf.entry,
        file.personId,
        new Date('2099-01-01T00:00:00Z'),
      ),
    }),
  },
  searchPersons: {
    file: () => ({ stage: 'reception' }),
    body: (file) => ({ familyName: file.familyName, givenNames: 'Camille' }),
    shows: (body, file) =>
      (body.candidates as Array<{ person: { id: string } }>).some((candidate) => candidate.person.id === file.personId),
  },
  openCase: {
    file: () => ({ stage: 'reception' }),
    body: (file) => ({
      channel: 'phone',
      expressedRequest: 'Un deuxième dossier',
      members: [{ personId: file.personId, role: 'primary' }],
    }),
  },
  listCases: {
    // The only itinerant file of the territory, so one filtered page holds it.
    file: () => ({ stage: 'reception', channel: 'itinerant' }),
    query: () => ({ channel: 'itinerant', pageSize: '100' }),
    shows: (body, file) => idsOf(body.items).includes(file.caseId),
  },
  getCase: { file: assessedFile, params: caseParams },
  sendCaseEvent: {
    file: () => ({ stage: 'reception' }),
    params: caseParams,
    body: (file) => ({ event: { type: 'START_ASSESSMENT' }, expectedRevision: file.caseRevision }),
  },
  getCaseTimeline: { file: assessedFile, params: caseParams },
  createAssessment: { file: () => ({ stage: 'assessment' }), params: caseParams },
  listCaseAssessments: { file: assessedFile, params: caseParams },
  getAssessment: { file: assessedFile, params: assessmentParams },
  saveAssessmentDraft: {
    file: () => ({ stage: 'draft' }),
    params: assessmentParams,
    body: () => ({ answers: { needs: { housing: { level: 'moderate', urgency: 'soon' } } } }),
  },
  completeAssessment: { file: () => ({ stage: 'draft' }), params: assessmentParams },
  followUpPotentialRight: {
    file: assessedFile,
    params: (file) => ({ assessmentId: file.assessmentId as string, right: 'apl' }),
    body: () => ({ status: 'requested' }),
  },
  getOrientationSuggestions: { file: assessedFile, params: caseParams },
  chooseOrientation: { file: assessedFile, params: caseParams, body: () => ({ serviceId }) },
  listOrientationChoices: { file: assessedFile, params: caseParams },
  searchServices: { query: () => ({ text: 'logement' }) },
  getDirectoryService: { params: () => ({ serviceId }) },
  importDirectory: { body: () => ({ services: [] }) },
  startDirectoryImport: { body: () => ({ services: [] }) },
  getDirectoryImport: { params: () => ({ importId: directoryImportId }) },
  unlockAgentLogin: { params: () => ({ agentId: setupAgentId }), body: () => ({}) },
  exportDirectory: {},
  getReferralMailPreference: {},
  setReferralMailPreference: { body: () => ({ mode: 'digest' }) },
  getSupervisionDelays: {},
  getSupervisionBreaches: {},
  getSupervisionNonTakeUp: {},
  getSupervisionActivity: {},
  exportSupervisionTable: { params: () => ({ report: 'delays', tableId: 'stages' }) },
  listAuditEvents: {
    file: assessedFile,
    query: (file) => ({ subjectId: file.personId }),
    // What the file's own organisation did; an outsider's auditor does see its own agents' refused attempts.
    shows: (body) =>
      (body.items as Array<{ organisationId: string | null }>).some((item) => item.organisationId === organisationIdOf.entry),
  },
  whoSawPerson: { file: assessedFile, params: personParams },
  exportPersonData: { file: assessedFile, params: personParams },
  getConsentNotice: {
    query: () => ({
      recipientOrganisationIds: organisationIdOf.recipient,
      purposes: 'rights_opening',
      categories: 'identity',
    }),
  },
  recordConsent: { file: () => ({ stage: 'reception' }), body: (file) => consentBody(file.personId) },
  withdrawConsent: {
    file: () => ({ stage: 'reception', consent: 'active' }),
    params: (file) => ({ consentId: file.consentId as string }),
    body: () => ({ withdrawnBy: 'person', channel: 'phone' }),
  },
  listPersonConsents: { file: () => ({ stage: 'reception', consent: 'active' }), params: personParams },
  listCaseReferrals: { file: sentReferralFile({}), params: caseParams },
  sendReferral: {
    file: (cell) => ({ stage: 'orientation', consent: cell.consent, referral: 'draft' }),
    params: referralParams,
    body: () => ({ expectedRevision: 0 }),
  },
  cancelReferral: {
    file: sentReferralFile({}),
    params: referralParams,
    body: (file) => ({ expectedRevision: file.referralRevision }),
  },
  handOverReferent: {
    file: (cell) => ({ stage: 'orientation', consent: cell.consent }),
    params: caseParams,
    body: (file) => ({
      expectedRevision: file.caseRevision,
      referentOrganisationId: organisationIdOf.neighbour,
      note: 'Relais vers le CCAS',
    }),
  },
  listPartnerInbox: {
    file: sentReferralFile({}),
    query: () => ({ scope: 'all', pageSize: '100' }),
    shows: (body, file) => {
      // A fuller page could hide the file and pass for a refusal to show it.
      expect(body.total as number).toBeLessThanOrEqual(100);
      return idsOf(body.items).includes(file.referralId as string);
    },
  },
  getPartnerReferral: { file: sentReferralFile({ consent: true }), params: referralParams },
  answerReferral: {
    file: sentReferralFile({ consent: true }),
    params: referralParams,
    body: (file) => ({ expectedRevision: file.referralRevision, answer: { type: 'ACCEPT' } }),
  },
  issuePartnerLink: { file: sentReferralFile({}), params: referralParams, body: () => ({}) },
  getReferralByPartnerLink: {
    file: sentReferralFile({ consent: true, link: true }),
    body: (file) => ({ token: file.token }),
  },
  answerByPartnerLink: {
    file: sentReferralFile({ consent: true, link: true }),
    body: (file) => ({ token: file.token, expectedRevision: file.referralRevision, answer: { type: 'ACCEPT' } }),
  },
};

// ---------------------------------------------------------------------------------------------------------
// Cells, and running them.

function principalsOf(entry: Expectation): Principal[] {
  if (entry.access === 'public') return [{ kind: 'anonymous' }];
  return [
    { kind: 'anonymous' },
    { kind: 'no-acting-organisation' },
    ...membershipRoles.flatMap((role) =>
      organisationRelations.map((organisation): Principal => ({ kind: 'acting', role, organisation })),
    ),
  ];
}

function cellsOf(operationId: OperationId, entry: Expectation): Cell[] {
  let cells: Cell[] = principalsOf(entry).map((principal) => ({ operationId, principal }));
  for (const name of conditionOrder) {
    if (!entry[name]) continue;
    cells = cells.flatMap((cell) => conditionValues[name].map((value) => ({ ...cell, [name]: value })));
  }
  return cells;
}

function describeCell(cell: Cell): string {
  const who = cell.principal.kind === 'acting' ? `${cell.principal.role}@${cell.principal.organisation}` : cell.principal.kind;
  const conditions = conditionOrder.filter((name) => cell[name] !== undefined).map((name) => `${name}=${cell[name]}`);
  return [cell.operationId, who, ...conditions].join(' ');
}

interface CellResult {
  cell: Cell;
  expected: ExpectedOutcome;
  status: number;
  requestId: string;
  problems: string[];
}

const results = new Map<OperationId, CellResult[]>();
const sharedFiles = new Map<string, Promise<TestFile>>();

/** Files are shared by options, except that a call changing its file gets its own; appending calls share per operation. */
function fileFor(operationId: OperationId, entry: Expectation, options: FileOptions, expected: ExpectedOutcome) {
  if (entry.mutates === 'consumes' && expected.kind === 'success') return createFile(options);
  const key = `${entry.mutates === 'no' ? 'read' : operationId}|${JSON.stringify(options)}`;
  let file = sharedFiles.get(key);
  if (!file) {
    file = createFile(options);
    sharedFiles.set(key, file);
  }
  return file;
}

async function clientFor(principal: Principal, entry: Expectation): Promise<TestAgent | ReturnType<typeof request>> {
  if (principal.kind === 'anonymous') return request(app);
  // Choosing an organisation would change every later cell of the shared session without one; an acting
  // session choosing the organisation it already acts for changes nothing.
  if (principal.kind === 'no-acting-organisation') {
    return entry.mutates === 'session' ? logInAs(app, matrixEmail('reception')) : withoutActingOrganisation;
  }
  return sessions.get(sessionKey(principal.role, organisationOf(principal.organisation, entry.owner))) as TestAgent;
}

function pathOf(operationId: OperationId): { method: 'get' | 'post'; template: string } {
  for (const [template, methods] of Object.entries(documentPaths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (operation.operationId === operationId) return { method: method as 'get' | 'post', template };
    }
  }
  throw new Error(`${operationId} is not in the OpenAPI document`);
}

async function runCell(operationId: OperationId, entry: Expectation, cell: Cell): Promise<CellResult> {
  const expected = expectedOutcome(entry, cell);
  const call = calls[operationId];
  const file = call.file ? await fileFor(operationId, entry, call.file(cell), expected) : null;
  // Only the builders of operations with a file read it.
  const fileOrNone = file as TestFile;
  const params = call.params ? call.params(fileOrNone) : {};
  const { method, template } = pathOf(operationId);
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${operationId}: no value for path id ${name}`);
    return encodeURIComponent(value);
  });
  const requestId = randomUUID();
  const client = await clientFor(cell.principal, entry);
  let pending = client[method](path).set('X-Request-Id', requestId);
  if (call.query) pending = pending.query(call.query(fileOrNone));
  if (call.headers) pending = pending.set(call.headers());
  if (method === 'post') pending = pending.send((call.body?.(fileOrNone, cell) ?? {}) as object);
  const response = await pending;

  const problems: string[] = [];
  if (response.headers['x-request-id'] !== requestId) problems.push('request id not echoed');
  if (response.status !== expected.status) {
    const detail = response.status >= 400 ? ` (${String(response.body?.type ?? response.text).slice(0, 120)})` : '';
    problems.push(`expected ${expected.status}, got ${response.status}${detail}`);
  }
  if (expected.kind === 'refused' && response.status >= 400) {
    if (!String(response.headers['content-type']).startsWith('application/problem+json'))
      problems.push('refusal is not problem+json');
    else if (JSON.parse(response.text).status !== response.status) problems.push('problem status differs from HTTP status');
  }
  if (expected.kind === 'success' && call.shows && response.status < 300 && file) {
    const visible = call.shows(response.body, file);
    if (visible !== expected.subjectVisible)
      problems.push(visible ? 'shows a file it must not reach' : 'does not show its own file');
  }
  return { cell, expected, status: response.status, requestId, problems };
}

async function inPool<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const answers: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      answers[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return answers;
}

const operationIds = Object.keys(expectations) as OperationId[];

describe('authorization matrix', () => {
  it('when an operation is served, then it has an expectation entry; when an entry names an operation, then it is served', () => {
    const served = Object.values(documentPaths).flatMap((methods) =>
      Object.values(methods).map((operation) => operation.operationId),
    );
    expect(served.filter((operationId) => !(operationId in expectations)).sort()).toEqual([]);
    expect(operationIds.filter((operationId) => !served.includes(operationId)).sort()).toEqual([]);
    // Public in the document exactly when public in the expectations.
    const publicServed = Object.values(documentPaths)
      .flatMap((methods) => Object.values(methods) as Array<{ operationId: string; security?: unknown[] }>)
      .filter((operation) => operation.security?.length === 0)
      .map((operation) => operation.operationId)
      .sort();
    expect(publicServed).toEqual(operationIds.filter((operationId) => expectations[operationId].access === 'public').sort());
  });

  for (const operationId of operationIds) {
    it(`${operationId}: only the granted callers succeed, under the declared conditions; refusals are problems`, async () => {
      const entry: Expectation = expectations[operationId];
      const cells = cellsOf(operationId, entry);
      const ran = await inPool(cells, 8, (cell) => runCell(operationId, entry, cell));
      results.set(operationId, ran);
      const unexpectedSuccesses = ran.filter((result) => result.expected.kind === 'refused' && result.status < 300);
      expect(unexpectedSuccesses.map((result) => describeCell(result.cell))).toEqual([]);
      const wrong = ran.filter((result) => result.problems.length > 0);
      expect(wrong.map((result) => `${describeCell(result.cell)}: ${result.problems.join('; ')}`)).toEqual([]);
      // A matrix where everything fails would pass the checks above: some cells must succeed.
      expect(ran.some((result) => result.expected.kind === 'success' && result.status < 300)).toBe(true);
    });
  }

  it('when the matrix has run, then it counted its cells', () => {
    const total = [...results.values()].reduce((sum, ran) => sum + ran.length, 0);
    expect(results.size).toBe(operationIds.length);
    expect(total).toBeGreaterThan(operationIds.length * 2);
  });
});

/** Calls an actor can be named for: an agent acting for an organisation, or a real partner link. */
function attributableResults(operationId: OperationId): CellResult[] {
  const entry: Expectation = expectations[operationId];
  return (results.get(operationId) ?? []).filter(
    (result) => result.cell.principal.kind === 'acting' || (entry.access === 'public' && result.cell.link !== undefined),
  );
}

/** Audit outcomes written under each request id. */
async function auditOutcomesOf(attributable: readonly CellResult[]): Promise<Map<string, string[]>> {
  const rows = await database.db
    .select({ requestId: auditEvents.requestId, outcome: auditEvents.outcome })
    .from(auditEvents)
    .where(
      inArray(
        auditEvents.requestId,
        attributable.map((result) => result.requestId),
      ),
    );
  const outcomes = new Map<string, string[]>();
  for (const row of rows) outcomes.set(row.requestId as string, [...(outcomes.get(row.requestId as string) ?? []), row.outcome]);
  return outcomes;
}

/** What the audit should hold for a call and does not: `allowed` for a success (when asked), `denied` for a refusal. */
function auditGaps(
  operationId: OperationId,
  attributable: readonly CellResult[],
  outcomes: Map<string, string[]>,
  options: { successes: boolean },
): string[] {
  const entry: Expectation = expectations[operationId];
  const gaps: string[] = [];
  for (const result of attributable) {
    const written = outcomes.get(result.requestId) ?? [];
    const refused = result.status >= 400;
    if (refused && entry.unauditedRefusals?.statuses.includes(result.status)) continue;
    if (!refused && !options.successes) continue;
    const wanted = refused ? 'denied' : 'allowed';
    const opposite = refused ? 'allowed' : 'denied';
    if (!written.includes(wanted) || written.includes(opposite)) {
      gaps.push(`${describeCell(result.cell)} (${result.status}): audited ${JSON.stringify(written)}, wanted ${wanted}`);
    }
  }
  return gaps;
}

describe('audit of person data', () => {
  it('when operations are flagged as reading person data, then the flags are the ones the matrix checks', () => {
    expect(personDataOperations.length).toBeGreaterThan(10);
    for (const operationId of personDataOperations) expect(calls[operationId]).toBeDefined();
  });

  for (const operationId of personDataOperations) {
    it(`${operationId}: every call with a known actor is audited under its request id, allowed or denied`, async () => {
      expect(results.get(operationId), 'the matrix ran this operation').toBeDefined();
      const attributable = attributableResults(operationId);
      const gaps = auditGaps(operationId, attributable, await auditOutcomesOf(attributable), { successes: true });
      expect(gaps).toEqual([]);
      // Both sides were exercised, or the check above proves nothing.
      expect(attributable.some((result) => result.status < 300)).toBe(true);
      expect(attributable.some((result) => result.status >= 400)).toBe(true);
    });
  }

  it('when any other operation is refused to a known actor, then the refusal is audited as denied', async () => {
    const others = operationIds.filter((operationId) => !personDataOperations.includes(operationId));
    const attributable = others.flatMap((operationId) => attributableResults(operationId));
    const outcomes = await auditOutcomesOf(attributable);
    const gaps = others.flatMap((operationId) =>
      auditGaps(operationId, attributableResults(operationId), outcomes, { successes: false }),
    );
    expect(gaps).toEqual([]);
    expect(attributable.filter((result) => result.status >= 400).length).toBeGreaterThan(others.length);
  });
});
