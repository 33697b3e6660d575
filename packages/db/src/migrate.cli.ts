import { openDatabase } from './client.ts';

/**
 * Applies the committed migrations, as the tables' owner:
 *   DATABASE_URL=postgres://owner@…/parcours npm run -w @parcours/db migrate
 * In production the services then connect as a login role that owns nothing and is a member of
 * `parcours_app` (see infra/README.md), so that row-level security binds them outside actor transactions
 * too. The embedded launcher (`npm start`) migrates by itself: it is the owner of its own database.
 */
async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL est requis (postgres://propriétaire@hôte/base).\n');
    return 2;
  }
  const database = await openDatabase({ url, maxConnections: 1 });
  try {
    await database.migrate();
    process.stdout.write('migrations applied\n');
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
