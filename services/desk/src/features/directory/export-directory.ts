import { type Database, withActor } from '@parcours/db';
import { type DirectoryFile, exportDirectory as exportServices } from '@parcours/directory';
import { readDirectory } from '@parcours/directory-store';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';

/** The territory's whole directory (inactive services included) in the format import reads back. */
export async function exportDirectory(db: Database, call: DeskCall): Promise<DirectoryFile> {
  const territoryId = call.agent.territoryId;
  return withActor(db, actorOf(call.agent), async (tx) => {
    const stored = await readDirectory(tx, { territoryId });
    await recordAudit(
      tx,
      call.agent,
      { action: 'directory.export', subjectKind: 'directory', subjectIds: [territoryId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return exportServices(
      stored.map((entry) => entry.service),
      { now: call.clock.now() },
    );
  });
}
