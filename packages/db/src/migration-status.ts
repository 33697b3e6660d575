import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { migrationsFolder } from './client.ts';
import { rowsOf } from './rows.ts';

interface Journal {
  entries: Array<{ idx: number; when: number; tag: string }>;
}

export interface MigrationStatus {
  /** The newest migration this code ships. */
  expected: string;
  /** The newest applied to the database, or null when none (or not readable). */
  applied: string | null;
  current: boolean;
}

let journal: Journal | undefined;

/**
 * Whether the database has every migration this code ships: drizzle records each applied migration with its
 * journal instant (`drizzle.__drizzle_migrations.created_at`), so the newest recorded must be the journal's
 * newest. Readable by the services' role (granted in migration 0015).
 */
export async function readMigrationStatus(db: Executor): Promise<MigrationStatus> {
  journal ??= JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;
  const newest = journal.entries.at(-1);
  if (!newest) return { expected: 'none', applied: null, current: true };
  const [row] = rowsOf<{ newest: string | null }>(
    await db.execute(sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`),
  );
  const appliedWhen = row?.newest === null || row?.newest === undefined ? null : Number(row.newest);
  const applied =
    appliedWhen === null
      ? null
      : (journal.entries.find((entry) => entry.when === appliedWhen)?.tag ?? `unknown (${appliedWhen})`);
  return { expected: newest.tag, applied, current: appliedWhen !== null && appliedWhen >= newest.when };
}
