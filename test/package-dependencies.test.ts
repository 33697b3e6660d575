import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * How the workspaces may depend on each other, read from every package.json and every source file so that
 * it stays true: libraries never depend on a service, a package marked pure (`"parcours": { "pure": true }`)
 * depends only on pure packages and on no library that does I/O, no source imports a package its
 * package.json does not declare, and the graph has no cycle.
 */
const root = resolve(fileURLToPath(import.meta.url), '../..');

interface Workspace {
  folder: string;
  name: string;
  kind: 'package' | 'service';
  pure: boolean;
  dependencies: string[];
  devDependencies: string[];
}

function workspacesIn(kind: 'package' | 'service'): Workspace[] {
  const base = join(root, kind === 'package' ? 'packages' : 'services');
  return readdirSync(base).flatMap((folder) => {
    const manifest = join(base, folder, 'package.json');
    try {
      statSync(manifest);
    } catch {
      return [];
    }
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name: string;
      parcours?: { pure?: boolean };
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    return [
      {
        folder: join(base, folder),
        name: json.name,
        kind,
        pure: json.parcours?.pure === true,
        dependencies: Object.keys(json.dependencies ?? {}),
        devDependencies: Object.keys(json.devDependencies ?? {}),
      },
    ];
  });
}

const packages = workspacesIn('package');
const services = workspacesIn('service');
const byName = new Map([...packages, ...services].map((workspace) => [workspace.name, workspace]));

/** Libraries that reach a database, a queue, the network, the disk or the system's crypto for passwords. */
const ioLibraries = [
  'postgres',
  '@electric-sql/pglite',
  'drizzle-orm',
  'bullmq',
  'ioredis',
  'nodemailer',
  'express',
  'argon2',
  'pino',
  'pino-http',
  '@etalab/decoupage-administratif',
];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The packages a source file imports (bare specifiers, reduced to the package name). */
function importedPackages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"./][^'"]*)['"]/gms)].map((match) => {
    const specifier = match[1] as string;
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  });
}

describe('package dependencies', () => {
  it('when the workspaces are read, then the pure ones are the ones the house style names', () => {
    expect(
      packages
        .filter((workspace) => workspace.pure)
        .map((workspace) => workspace.name)
        .sort(),
    ).toEqual([
      '@parcours/assessment',
      '@parcours/calendar',
      '@parcours/consent',
      '@parcours/directory',
      '@parcours/identity-match',
      '@parcours/jobs',
      '@parcours/journey',
      '@parcours/journey-diagram',
      '@parcours/orientation',
      '@parcours/supervision',
      '@parcours/vocabulary',
    ]);
  });

  it('when a package declares its dependencies, then none is a service (a library never depends on a deployable process)', () => {
    const serviceNames = new Set(services.map((service) => service.name));
    const offending = packages.flatMap((workspace) =>
      [...workspace.dependencies, ...workspace.devDependencies]
        .filter((dependency) => serviceNames.has(dependency))
        .map((dependency) => `${workspace.name} → ${dependency}`),
    );
    expect(offending).toEqual([]);
  });

  it('when a package is marked pure, then it depends on pure packages only, and on no library that does I/O', () => {
    const offending = packages
      .filter((workspace) => workspace.pure)
      .flatMap((workspace) =>
        workspace.dependencies
          .filter((dependency) => {
            const internal = byName.get(dependency);
            return internal ? !internal.pure : ioLibraries.includes(dependency);
          })
          .map((dependency) => `${workspace.name} → ${dependency}`),
      );
    expect(offending).toEqual([]);
  });

  it('when a pure package is read, then its sources import no node module but crypto (hashing is computation)', () => {
    const offending = packages
      .filter((workspace) => workspace.pure)
      .flatMap((workspace) =>
        sourceFiles(join(workspace.folder, 'src')).flatMap((file) =>
          importedPackages(file)
            .filter((imported) => imported.startsWith('node:') && imported !== 'node:crypto')
            .map((imported) => `${file.slice(root.length + 1)} → ${imported}`),
        ),
      );
    expect(offending).toEqual([]);
  });

  it('when a workspace’s sources import a package, then its package.json declares it', () => {
    const offending = [...packages, ...services].flatMap((workspace) => {
      const declared = new Set([...workspace.dependencies, workspace.name]);
      return sourceFiles(join(workspace.folder, 'src')).flatMap((file) =>
        importedPackages(file)
          .filter((imported) => !imported.startsWith('node:') && !declared.has(imported))
          .map((imported) => `${file.slice(root.length + 1)} → ${imported}`),
      );
    });
    expect(offending).toEqual([]);
  });

  it('when the internal dependencies are followed, then no workspace reaches itself', () => {
    const cycles: string[] = [];
    const visit = (name: string, path: string[]) => {
      const workspace = byName.get(name);
      if (!workspace) return;
      for (const next of [...workspace.dependencies, ...workspace.devDependencies].filter((dependency) =>
        byName.has(dependency),
      )) {
        if (next === path[0]) cycles.push([...path, next].join(' → '));
        else if (!path.includes(next)) visit(next, [...path, next]);
      }
    };
    for (const name of byName.keys()) visit(name, [name]);
    expect(cycles).toEqual([]);
  });
});
