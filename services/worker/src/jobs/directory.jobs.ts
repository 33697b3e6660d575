import { type Database, systemActor, withActor } from '@parcours/db';
import { runDirectoryImport } from '@parcours/directory-store';
import type { Logger } from '@parcours/observability';
import type { JobHandlers } from './job-processor.ts';

export interface DirectoryJobDeps {
  db: Database;
  logger: Logger;
}

/**
 * A directory file handed in through the desk, imported here so that a 20,000-service file neither holds a
 * desk process nor one long transaction: read and checked once, written in batches that each move its
 * progress. The import's row is the truth: a second delivery finds it finished and does nothing.
 */
export function createDirectoryJobHandlers(deps: DirectoryJobDeps): Pick<JobHandlers, 'directory.import'> {
  return {
    'directory.import': async ({ importId }) => {
      const state = await runDirectoryImport((work) => withActor(deps.db, systemActor, work), importId);
      // Counts and status only: the report itself is read on its page.
      deps.logger.info(
        { importId, status: state?.status ?? 'missing', total: state?.total ?? null, written: state?.report?.written ?? null },
        'directory import finished',
      );
    },
  };
}
