import { type Database, rowsOf, withActor } from '@parcours/db';
import { sql } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { auditActorOf } from '../../policy/access-policy.ts';
import type { PersonAccessLog } from './audit.schemas.ts';
import { personInTerritory } from './audit-scope.ts';
import { recordAudit } from './audit-writer.ts';
import { readPersonAccesses } from './person-accesses.ts';

export const accessLogLimit = 1_000;

/**
 * "Who saw this person's file", for an auditor or supervisor of a territory where the person is known;
 * null (404) otherwise. The question is audited either way, after the answer is read (so it is not
 * part of its own answer).
 */
export async function whoSawPerson(db: Database, personId: string, call: DeskCall): Promise<PersonAccessLog | null> {
  return withActor(db, auditActorOf(call.agent), async (tx) => {
    const [known] = rowsOf<{ known: boolean }>(await tx.execute(sql`select ${personInTerritory(call.agent, personId)} as known`));
    if (!known?.known) {
      await recordAudit(
        tx,
        call.agent,
        { action: 'person.access_log', subjectKind: 'person', subjectIds: [personId], outcome: 'denied' },
        auditCallOf(call),
      );
      return null;
    }
    const items = await readPersonAccesses(tx, personId, accessLogLimit + 1);
    await recordAudit(
      tx,
      call.agent,
      { action: 'person.access_log', subjectKind: 'person', subjectIds: [personId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return { personId, items: items.slice(0, accessLogLimit), truncated: items.length > accessLogLimit };
  });
}
