import { type Database, directoryServices } from '@parcours/db';
import { buildDirectoryIndex, type DirectoryIndex } from '@parcours/directory';
import { readDirectory } from '@parcours/directory-store';
import { count, eq, max } from 'drizzle-orm';
import { readTerritoryGeography } from './territory-geography.ts';

export interface TerritoryDirectory {
  index: DirectoryIndex;
  /** The Parcours organisation behind each service, when it has one: where a referral goes. */
  organisationOf: ReadonlyMap<string, string | null>;
  /** INSEE codes of the territory (what an import may name). */
  communeCodes: readonly string[];
}

interface Entry {
  stamp: string;
  directory: Promise<TerritoryDirectory>;
}

/**
 * The directory index of each territory, built once and reused by suggestions, choices and search
 * (building it reads and parses every service; a lookup then touches only the services of one commune
 * and a few bundles). An import in this process invalidates its territory at once; a cheap stamp
 * (row count and last import time) catches an import made by another process.
 */
export class DirectoryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly db: Database) {}

  async directoryOf(territoryId: string): Promise<TerritoryDirectory> {
    const stamp = await this.stampOf(territoryId);
    const cached = this.entries.get(territoryId);
    if (cached && cached.stamp === stamp) return cached.directory;
    const directory = this.build(territoryId);
    this.entries.set(territoryId, { stamp, directory });
    // A failed build must not stay cached.
    directory.catch(() => {
      if (this.entries.get(territoryId)?.directory === directory) this.entries.delete(territoryId);
    });
    return directory;
  }

  invalidate(territoryId: string): void {
    this.entries.delete(territoryId);
  }

  private async stampOf(territoryId: string): Promise<string> {
    const [row] = await this.db
      .select({ rows: count(), lastImport: max(directoryServices.importedAt) })
      .from(directoryServices)
      .where(eq(directoryServices.territoryId, territoryId));
    return `${row?.rows ?? 0}:${row?.lastImport ? new Date(row.lastImport).toISOString() : ''}`;
  }

  private async build(territoryId: string): Promise<TerritoryDirectory> {
    const [stored, geography] = await Promise.all([
      readDirectory(this.db, { territoryId, activeOnly: true }),
      readTerritoryGeography(this.db, territoryId),
    ]);
    return {
      index: buildDirectoryIndex(
        stored.map((entry) => entry.service),
        geography,
      ),
      organisationOf: new Map(stored.map((entry) => [entry.service.id, entry.organisationId])),
      communeCodes: geography.communeCodes,
    };
  }
}
