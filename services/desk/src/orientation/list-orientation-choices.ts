import { cases, type Database, orientationChoices, withActor } from '@parcours/db';
import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { auditCallOf, type DeskCall } from '../desk-call.ts';
import type { DirectoryCache } from '../directory/directory-cache.ts';
import { actorOf, canReachCase } from '../policy/access-policy.ts';
import type { OrientationChoiceList } from './orientation.schemas.ts';
import { orientationChoiceOf } from './orientation-choice-view.ts';
import { serviceCardOf } from './orientation-context.ts';

/** The orientation choices of a case, oldest first, each with its service (null once it left the directory). */
export async function listOrientationChoices(
  db: Database,
  directories: DirectoryCache,
  caseId: string,
  call: DeskCall,
): Promise<OrientationChoiceList | null> {
  const directory = await directories.directoryOf(call.agent.territoryId);
  return withActor(db, actorOf(call.agent), async (tx) => {
    const [caseRow] = await tx.select().from(cases).where(eq(cases.id, caseId));
    if (!caseRow || !canReachCase(call.agent, caseRow)) {
      await recordAudit(
        tx,
        call.agent,
        { action: 'orientation.list', subjectKind: 'case', subjectIds: [caseId], outcome: 'denied' },
        auditCallOf(call),
      );
      return null;
    }
    const rows = await tx
      .select()
      .from(orientationChoices)
      .where(eq(orientationChoices.caseId, caseId))
      .orderBy(asc(orientationChoices.chosenAt), asc(orientationChoices.id));
    await recordAudit(
      tx,
      call.agent,
      { action: 'orientation.list', subjectKind: 'case', subjectIds: [caseId, ...rows.map((row) => row.id)], outcome: 'allowed' },
      auditCallOf(call),
    );
    return {
      caseId,
      items: rows.map((row) => {
        const service = directory.index.byId.get(row.serviceId)?.service;
        return orientationChoiceOf(row, service ? serviceCardOf(service, directory) : null);
      }),
    };
  });
}
