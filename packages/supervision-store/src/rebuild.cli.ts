import { openDatabase } from '@parcours/db';
import { rebuildSupervision } from './projector.ts';

/**
 * Rebuilds supervision's read model from the journey's log:
 *   DATABASE_URL=postgres://…/parcours npm run supervision:rebuild
 * Safe while the services run (see `rebuildSupervision`).
 */
async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL est requis (postgres://…/base).\n');
    return 2;
  }
  const database = await openDatabase({ url, maxConnections: 1 });
  try {
    const started = Date.now();
    const folded = await rebuildSupervision(database.db, { batchSize: 5_000 });
    process.stdout.write(`supervision rebuilt: ${folded} rows folded in ${Math.round((Date.now() - started) / 1000)} s\n`);
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
