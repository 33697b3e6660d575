import { type Database, referentHandovers, withActor } from '@parcours/db';
import { desc, eq } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { reachableCaseOf } from '../cases/case-access.ts';

export interface LastReferentHandover {
  note: string;
  at: Date;
  fromOrganisationId: string;
}

/**
 * The latest référent handover of a case the organisation reaches, with its note (free text about the
 * person: read inside the actor's transaction, where row-level security admits it, and audited); null when
 * there is none or the case is out of reach.
 */
export async function getLastReferentHandover(
  db: Database,
  caseId: string,
  call: DeskCall,
): Promise<LastReferentHandover | null> {
  return withActor(db, actorOf(call.agent), async (tx) => {
    if (!(await reachableCaseOf(tx, caseId, call, 'referent_handover.read'))) return null;
    const [last] = await tx
      .select({
        id: referentHandovers.id,
        note: referentHandovers.note,
        at: referentHandovers.at,
        fromOrganisationId: referentHandovers.fromOrganisationId,
      })
      .from(referentHandovers)
      .where(eq(referentHandovers.caseId, caseId))
      .orderBy(desc(referentHandovers.at))
      .limit(1);
    if (!last) return null;
    await recordAudit(
      tx,
      call.agent,
      { action: 'referent_handover.read', subjectKind: 'case', subjectIds: [caseId], outcome: 'allowed' },
      auditCallOf(call),
    );
    return { note: last.note, at: last.at, fromOrganisationId: last.fromOrganisationId };
  });
}
