import { randomBytes } from 'node:crypto';
import { type Actor, type Database, type DatabaseHandle, openDatabase } from '@parcours/db';
import { openCase, sendCaseEvent } from '@parcours/engine';
import postgres from 'postgres';

const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase extends DatabaseHandle {
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database for one benchmark run, dropped afterwards. */
export async function createBenchDatabase(maxConnections: number): Promise<BenchDatabase> {
  const name = `parcours_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), maxConnections });
  await handle.migrate();
  return {
    ...handle,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * The engine's own ceiling: transitions per second for `seconds`, one client per person, each moving a case
 * of its own (reception → assessment, then suspend and resume: each event cancels and arms a deadline).
 */
export async function engineCeiling(
  db: Database,
  where: { territoryId: string; entryOrganisationId: string; actor: Actor; personIds: readonly string[] },
  seconds: number,
): Promise<number> {
  let transitions = 0;
  const start = Date.now();
  const until = start + seconds * 1000;
  await Promise.all(
    where.personIds.map(async (personId) => {
      let view = await openCase(
        db,
        {
          territoryId: where.territoryId,
          entryOrganisationId: where.entryOrganisationId,
          channel: 'physical',
          expressedRequest: 'Plafond',
          members: [{ personId, role: 'primary' }],
        },
        { actor: where.actor },
      );
      const events = [{ type: 'SUSPEND', reason: 'person_request' }, { type: 'RESUME' }];
      let next: Record<string, unknown> = { type: 'START_ASSESSMENT' };
      let step = 0;
      while (Date.now() < until) {
        view = await sendCaseEvent(db, { caseId: view.id, event: next, expectedRevision: view.revision }, { actor: where.actor });
        transitions += 1;
        next = events[step % 2] as Record<string, unknown>;
        step += 1;
      }
    }),
  );
  return transitions / ((Date.now() - start) / 1000);
}
