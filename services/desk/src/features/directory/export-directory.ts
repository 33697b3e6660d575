import { type Database, withActor } from '@parcours/db';
import { exportDirectory as exportServices, toDataInclusion, toHsds } from '@parcours/directory';
import { readDirectory } from '@parcours/directory-store';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { communesOfDepartement } from '../communes/communes.ts';

/**
 * The territory's whole directory (inactive services included): in the format import reads back, or in
 * data·inclusion v1 or Open Referral HSDS 3 (a one-page service list), which the import reads back too.
 */
export async function exportDirectory(db: Database, call: DeskCall, format: 'parcours' | 'data-inclusion' | 'hsds' = 'parcours') {
  const territoryId = call.agent.territoryId;
  return withActor(db, actorOf(call.agent), async (tx) => {
    const stored = await readDirectory(tx, { territoryId });
    await recordAudit(
      tx,
      call.agent,
      { action: 'directory.export', subjectKind: 'directory', subjectIds: [territoryId], outcome: 'allowed' },
      auditCallOf(call),
    );
    const services = stored.map((entry) => entry.service);
    if (format === 'data-inclusion') {
      return toDataInclusion(services, {
        communesOfDepartement: (code) => communesOfDepartement(code).map((commune) => commune.code),
      });
    }
    if (format === 'hsds') {
      const contents = toHsds(services);
      return {
        total_items: contents.length,
        total_pages: 1,
        page_number: 1,
        size: contents.length,
        first_page: true,
        last_page: true,
        empty: contents.length === 0,
        contents,
      };
    }
    return exportServices(services, { now: call.clock.now() });
  });
}
