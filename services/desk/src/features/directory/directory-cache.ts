import { type Database, directoryServices, organisations, territories } from '@parcours/db';
import { buildDirectoryIndex, type DirectoryIndex, freshnessMonthsOf } from '@parcours/directory';
import { readDirectory } from '@parcours/directory-store';
import { count, eq, max, sql } from 'drizzle-orm';
import { readTerritoryGeography } from './territory-geography.ts';

/**
 * How a referral reaches a service, said the same way everywhere (directory, suggestions, choice):
 * - `parcours`: its organisation has agents in Parcours; they answer in « Orientations reçues »;
 * - `signed_link`: its organisation is in Parcours without agents; it answers through a signed link;
 * - `not_linked`: it would take referrals, but no organisation of Parcours stands behind it: contact it directly;
 * - `none`: it takes no referral through Parcours: contact it directly.
 */
export type ReferralRoute = (typeof referralRoutes)[number];
export const referralRoutes = ['parcours', 'signed_link', 'not_linked', 'none'] as const;

export interface TerritoryDirectory {
  index: DirectoryIndex;
  /** The Parcours organisation behind each service, when it has one: where a referral goes. */
  organisationOf: ReadonlyMap<string, string | null>;
  /** How a referral reaches each service. */
  referralRouteOf(serviceId: string): ReferralRoute;
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
      .select({
        rows: count(),
        lastImport: max(directoryServices.importedAt),
        // The territory's settings (its freshness period) are part of the index too.
        settings: sql<string>`(select md5(settings::text) from territories where id = ${territoryId})`,
      })
      .from(directoryServices)
      .where(eq(directoryServices.territoryId, territoryId));
    return `${row?.rows ?? 0}:${row?.lastImport ? new Date(row.lastImport).toISOString() : ''}:${row?.settings ?? ''}`;
  }

  private async build(territoryId: string): Promise<TerritoryDirectory> {
    const [stored, geography, territoryOrganisations, [territory]] = await Promise.all([
      readDirectory(this.db, { territoryId, activeOnly: true }),
      readTerritoryGeography(this.db, territoryId),
      this.db
        .select({ id: organisations.id, usesParcours: organisations.usesParcours })
        .from(organisations)
        .where(eq(organisations.territoryId, territoryId)),
      this.db.select({ settings: territories.settings }).from(territories).where(eq(territories.id, territoryId)),
    ]);
    const usesParcours = new Map(territoryOrganisations.map((organisation) => [organisation.id, organisation.usesParcours]));
    const routes = new Map<string, ReferralRoute>(
      stored.map(({ service, organisationId }) => {
        if (!service.acceptsReferrals) return [service.id, 'none'];
        if (!organisationId) return [service.id, 'not_linked'];
        return [service.id, usesParcours.get(organisationId) === false ? 'signed_link' : 'parcours'];
      }),
    );
    return {
      referralRouteOf: (serviceId) => routes.get(serviceId) ?? 'none',
      index: buildDirectoryIndex(
        stored.map((entry) => entry.service),
        geography,
        { freshnessMonths: freshnessMonthsOf(territory?.settings) },
      ),
      organisationOf: new Map(stored.map((entry) => [entry.service.id, entry.organisationId])),
      communeCodes: geography.communeCodes,
    };
  }
}
