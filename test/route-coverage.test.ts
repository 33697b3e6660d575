/**
 * Every route the desk mounts (JSON API and pages) is requested by some test, with its method: a route nobody
 * requests is a handler nobody checked. The routes are read from the app itself (its router), the requests from
 * the tests' sources — `.post(`/orientations/${id}/annulation`)`, `page.goto('/annuaire')` —; a route requested
 * another way (a loop over report names, an address read from a redirect, a browser's form) is listed below with
 * the test file that requests it and the words to find there, which are checked too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createApp } from '@parcours/desk';
import { createLogger } from '@parcours/observability';
import { createTestDatabase, type TestDatabase } from '@parcours/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** Routes requested otherwise than by a literal address: the file that does it and the words that show it. */
const requestedOtherwise: Record<string, { file: string; words: string; how: string }> = {
  'get /api/v1/supervision/breaches': {
    file: 'services/desk/test/supervision.test.ts',
    words: "'breaches'",
    how: 'each report is requested in a loop over the report names',
  },
  'get /api/v1/supervision/non-take-up': {
    file: 'services/desk/test/supervision.test.ts',
    words: "'non-take-up'",
    how: 'each report is requested in a loop over the report names',
  },
  'get /pilotage/depassements': {
    file: 'services/desk/test/pages/supervision-browser.test.ts',
    words: 'depassements',
    how: 'each report page is opened in the browser, in a loop',
  },
  'get /pilotage/activite': {
    file: 'services/desk/test/pages/supervision-browser.test.ts',
    words: 'activite',
    how: 'each report page is opened in the browser, in a loop',
  },
  'get /annuaire/imports/:importId': {
    file: 'services/desk/test/pages/orientation-directory-pages.test.ts',
    words: 'admin.get(location)',
    how: 'the address the import form redirects to',
  },
  'post /evaluations/:assessmentId': {
    file: 'services/desk/test/pages/page-client.ts',
    words: '.post(draft.formPath)',
    how: 'the draft form posted to the address a new draft redirects to',
  },
  'get /evaluations/:assessmentId/synthese': {
    file: 'services/desk/test/pages/assessment-pages.test.ts',
    words: 'client.get(`${formPath}/synthese`)',
    how: 'the summary the completed assessment redirects to',
  },
  'post /evaluations/:assessmentId/droits/:right': {
    file: 'services/desk/test/pages/assessment-pages.test.ts',
    words: '.post(`${formPath}/droits/apl`)',
    how: 'the follow-up form of a potential right, on the draft’s address',
  },
};

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (name === 'node_modules' || name === 'ci-summary-fixtures') return [];
    return statSync(path).isDirectory() ? sourcesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `/dossiers/:caseId/evenements` → a request's address as a test writes it: literal parts, any `${…}` or id between. */
function requestPatternOf(method: string, path: string): RegExp {
  const address = path
    .split(/(:[A-Za-z]+)/)
    .map((part) => (part.startsWith(':') ? '(?:\\$\\{[^}]+\\}|[^\\s\'"`/?]+)' : part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')))
    .join('');
  const verb = method === 'get' ? '(?:\\.get|\\.goto)' : `\\.${method}`;
  return new RegExp(`${verb}\\(\\s*[\`'"]${address}[\`'"?#]`);
}

let database: TestDatabase;
const routes: Array<{ method: string; path: string }> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const app = createApp({
    db: database.db,
    logger: createLogger({ name: 'route-coverage', level: 'silent' }),
    sessionSecret: 'route coverage: a secret long enough for the session',
  }) as unknown as { router: { stack: unknown[] } };
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } };
  const walk = (stack: unknown[]) => {
    for (const layer of stack as Layer[]) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) routes.push({ method, path: layer.route.path });
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(app.router.stack);
}, 60_000);
afterAll(async () => {
  await database?.close();
});

describe('route coverage', () => {
  it('when the desk’s routes are listed, then there are API routes and pages, read from the app itself', () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(routes).toContainEqual({ method: 'post', path: '/orientations/:referralId/annulation' });
    expect(routes).toContainEqual({ method: 'get', path: '/api/v1/cases/:caseId' });
  });

  it('when every test source is read, then each route is requested with its method, or its other way is named and found', () => {
    const files = [...sourcesUnder(join(root, 'services', 'desk', 'test')), ...sourcesUnder(join(root, 'test'))].filter(
      (file) => !file.endsWith('route-coverage.test.ts'),
    );
    const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');
    const unrequested = routes
      // The desk's static files carry a content hash in their name: every browser test loads them from the pages.
      .filter((route) => !route.path.startsWith('/static/'))
      .filter((route) => !requestPatternOf(route.method, route.path).test(text))
      .map((route) => `${route.method} ${route.path}`);
    const unexplained = unrequested.filter((key) => !requestedOtherwise[key]);
    expect(unexplained, 'routes no test requests: write the test that does').toEqual([]);
    for (const key of unrequested) {
      const other = requestedOtherwise[key] as { file: string; words: string };
      expect(readFileSync(join(root, other.file), 'utf8'), `${key}: ${relative(root, join(root, other.file))}`).toContain(
        other.words,
      );
    }
    // An entry for a route now requested directly, or gone, is left over: remove it.
    expect(Object.keys(requestedOtherwise).filter((key) => !unrequested.includes(key))).toEqual([]);
  });
});
