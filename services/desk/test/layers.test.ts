import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The desk's layers, read from the source itself so they stay true: a request goes down (app → api or
 * pages → http → features → policy), never sideways. Each rule below names the files that break it, so a
 * failure says where to look.
 */
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

interface Import {
  specifier: string;
  /** `import type …`: erased at build, carries no behaviour. */
  typeOnly: boolean;
  /** The file imported, relative to `src/`, for relative specifiers. */
  target: string | null;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gms)].map((match) => {
    const specifier = match[3] as string;
    return {
      specifier,
      typeOnly: Boolean(match[2]),
      target: specifier.startsWith('.') ? relative(src, resolve(dirname(file), specifier)) : null,
    };
  });
}

const files = sourceFiles(src).map((path) => ({ path: relative(src, path), imports: importsOf(path) }));
const inFolder = (folder: string) => files.filter((file) => file.path.startsWith(`${folder}/`));
const layerOf = (path: string) => path.split('/')[0] as string;

/** Use cases are named by their verb; helpers of a feature (views, repositories, guards, schemas) are not. */
const useCaseVerbs =
  /^(get|list|open|send|create|save|complete|follow-up|choose|record|withdraw|answer|cancel|hand-over|issue|use|search|import|export|who-saw|verify|count)-/;
const isUseCase = (path: string) => path.startsWith('features/') && useCaseVerbs.test(path.split('/').at(-1) as string);

function offending(list: typeof files, breaks: (file: (typeof files)[number], imported: Import) => boolean): string[] {
  return list.flatMap((file) =>
    file.imports.filter((imported) => breaks(file, imported)).map((imported) => `${file.path} → ${imported.specifier}`),
  );
}

describe('the desk in layers', () => {
  it('when the source folder is listed, then it shows http, api, pages, features and the policy at a glance', () => {
    const entries = readdirSync(src).sort();
    expect(entries).toEqual(['api', 'app.ts', 'env.ts', 'features', 'http', 'index.ts', 'main.ts', 'pages', 'policy']);
  });

  it('when a page module is read, then it imports neither drizzle nor a value of @parcours/db (it calls use cases)', () => {
    expect(
      offending(
        inFolder('pages'),
        (_file, imported) =>
          imported.specifier === 'drizzle-orm' || (imported.specifier === '@parcours/db' && !imported.typeOnly),
      ),
    ).toEqual([]);
  });

  it('when a page module is read, then it imports no other page module (what pages share is a model or the page kit)', () => {
    expect(
      offending(
        inFolder('pages').filter((file) => file.path.endsWith('.pages.ts')),
        (_file, imported) => imported.target?.endsWith('.pages.ts') === true,
      ),
    ).toEqual([]);
  });

  it('when the pages are read, then every route is one exported definePage handler, mounted by the page framework only', () => {
    const pageModules = inFolder('pages').filter((file) => file.path.endsWith('.pages.ts'));
    expect(pageModules.length).toBeGreaterThan(10);
    for (const file of pageModules) {
      const text = readFileSync(join(src, file.path), 'utf8');
      expect(text, file.path).not.toMatch(/\brouter\.(get|post|put|delete|use)\(/);
      expect(text, file.path).not.toMatch(/export function mount\w*Pages/);
      expect(text, file.path).toMatch(/export const \w+ = definePage\(/);
    }
  });

  it('when the policy module is read, then it imports nothing of HTTP, sessions or the audit writer: it only decides', () => {
    expect(
      offending(inFolder('policy'), (_file, imported) => imported.specifier.startsWith('express') || imported.target !== null),
    ).toEqual([]);
  });

  it('when a layer imports another, then it only goes down: features never reach http routes, api or pages; http never reaches api or pages', () => {
    // Shared down to the features: the error type, the not-found answers, the call, and the input dates their schemas use.
    const sharedFromHttp = new Set(['http/app-error.ts', 'http/not-found.ts', 'http/desk-call.ts', 'http/input-dates.ts']);
    expect(
      offending(files, (file, imported) => {
        if (!imported.target) return false;
        const from = layerOf(file.path);
        const to = layerOf(imported.target);
        if (from === 'features') return to === 'api' || to === 'pages' || (to === 'http' && !sharedFromHttp.has(imported.target));
        if (from === 'http') return to === 'api' || to === 'pages';
        if (from === 'api') return to === 'pages';
        if (from === 'pages') return to === 'api';
        return false;
      }),
    ).toEqual([]);
  });

  it('when a use case is read, then it imports no other use case: what use cases share is a helper of the feature', () => {
    const useCases = files.filter((file) => isUseCase(file.path));
    expect(useCases.length).toBeGreaterThan(30);
    expect(offending(useCases, (_file, imported) => imported.target !== null && isUseCase(imported.target))).toEqual([]);
  });

  it('when the case guard, the per-request call and the 404s are looked for, then each is written once', () => {
    const texts = files.map((file) => ({ path: file.path, text: readFileSync(join(src, file.path), 'utf8') }));
    const writing = (pattern: RegExp) => texts.filter((file) => pattern.test(file.text)).map((file) => file.path);
    // The guard: a case checked against the policy and the refusal audited.
    expect(writing(/canReachCase\(call\.agent/)).toEqual(['features/cases/case-access.ts']);
    // The call: built by the route frameworks only.
    expect(writing(/\{ agent: \w+, requestId(: [\w.()]+)?, clock/)).toEqual([]);
    expect(writing(/deskCallOf\(/)).toEqual(['http/desk-call.ts', 'http/resolve-caller.ts']);
    // The 404s.
    expect(writing(/new AppError\('not_found', 'Ce dossier est introuvable/)).toEqual(['http/not-found.ts']);
    expect(writing(/new AppError\('not_found', 'Cette orientation est introuvable/)).toEqual(['http/not-found.ts']);
  });
});
