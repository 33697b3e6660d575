import { cases, type Database, referentHandovers, withActor } from '@parcours/db';
import { desc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { auditCallOf, type DeskCall } from '../desk-call.ts';
import { actorOf, canReachCase } from '../policy/access-policy.ts';

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
    const [row] = await tx.select().from(cases).where(eq(cases.id, caseId));
    if (!row || !canReachCase(call.agent, row)) return null;
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
