import { type Database, outbox, withActor } from '@parcours/db';
import {
  createDirectoryImport,
  DirectoryFileError,
  type DirectoryImportState,
  importDirectoryDocument,
  listDirectoryImports,
  readDirectoryImport,
} from '@parcours/directory-store';
import { outboxRowOf } from '@parcours/jobs';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import type { DirectoryImportReport, DirectoryImportStateBody } from './directory.schemas.ts';
import type { DirectoryCache } from './directory-cache.ts';

/**
 * Imports a directory file into the acting organisation's territory, at once (the JSON API, files of a few
 * thousand services): each row checked on its own (the official schema for data·inclusion and HSDS rows, then
 * the directory's own rules and the territory's communes), good rows upserted by id in batches, every bad row
 * reported with its French reasons. A row whose id belongs to another territory's directory is refused rather
 * than moved. Large files go through `startDirectoryImport` (the worker) instead.
 */
export async function importDirectory(
  db: Database,
  directories: DirectoryCache,
  input: unknown,
  call: DeskCall,
): Promise<DirectoryImportReport> {
  const territoryId = call.agent.territoryId;
  try {
    const report = await importDirectoryDocument((work) => withActor(db, actorOf(call.agent), work), territoryId, input, {
      now: call.clock.now(),
    });
    await withActor(db, actorOf(call.agent), (tx) =>
      recordAudit(
        tx,
        call.agent,
        { action: 'directory.import', subjectKind: 'directory', subjectIds: [territoryId], outcome: 'allowed' },
        auditCallOf(call),
      ),
    );
    return report;
  } catch (error) {
    if (error instanceof DirectoryFileError) {
      throw new AppError('validation_failed', 'Le fichier d’annuaire est inutilisable.', {
        errors: [{ field: '', message: error.message }],
      });
    }
    throw error;
  } finally {
    directories.invalidate(territoryId);
  }
}

export interface HandedInFile {
  fileName: string | null;
  /** JSON (Parcours, data·inclusion, HSDS) or data·inclusion's services CSV. */
  content: string;
  /** data·inclusion's structures CSV, beside a services CSV. */
  structuresContent: string | null;
}

/**
 * Stores a directory file and queues its import for the worker, in one transaction (the file, its job and the
 * audit row commit together). Returns the import's id: its page follows the progress.
 */
export async function startDirectoryImport(db: Database, file: HandedInFile, call: DeskCall): Promise<string> {
  const territoryId = call.agent.territoryId;
  return withActor(db, actorOf(call.agent), async (tx) => {
    const importId = await createDirectoryImport(tx, {
      territoryId,
      agentId: call.agent.agentId,
      fileName: file.fileName,
      content: file.content,
      structuresContent: file.structuresContent,
    });
    await tx.insert(outbox).values(outboxRowOf('directory.import', { importId }));
    await recordAudit(
      tx,
      call.agent,
      { action: 'directory.import', subjectKind: 'directory', subjectIds: [territoryId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return importId;
  });
}

/** An import of the caller's territory, or null (another territory's import is not found). */
export async function getDirectoryImport(db: Database, importId: string, call: DeskCall): Promise<DirectoryImportState | null> {
  const state = await withActor(db, actorOf(call.agent), (tx) => readDirectoryImport(tx, importId));
  return state && state.territoryId === call.agent.territoryId ? state : null;
}

/** The territory's latest imports, for the import page. */
export async function listRecentDirectoryImports(db: Database, call: DeskCall) {
  return withActor(db, actorOf(call.agent), (tx) => listDirectoryImports(tx, call.agent.territoryId));
}

/** An import as the API shows it: instants as ISO strings, the agent's id left out. */
export function directoryImportStateOf(state: DirectoryImportState): DirectoryImportStateBody {
  return {
    id: state.id,
    status: state.status,
    fileName: state.fileName,
    total: state.total,
    processed: state.processed,
    report: state.report,
    error: state.error,
    createdAt: state.createdAt.toISOString(),
    startedAt: state.startedAt?.toISOString() ?? null,
    finishedAt: state.finishedAt?.toISOString() ?? null,
  };
}
