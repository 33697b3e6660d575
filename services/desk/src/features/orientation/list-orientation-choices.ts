import { type Database, orientationChoices, referrals, withActor } from '@parcours/db';
import { asc, eq } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { reachableCaseOf } from '../cases/case-access.ts';
import type { DirectoryCache } from '../directory/directory-cache.ts';
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
    if (!(await reachableCaseOf(tx, caseId, call, 'orientation.list'))) return null;
    const listed = await tx
      .select({ choice: orientationChoices, referralStatus: referrals.status, referralClosedAt: referrals.closedAt })
      .from(orientationChoices)
      .leftJoin(referrals, eq(referrals.id, orientationChoices.referralId))
      .where(eq(orientationChoices.caseId, caseId))
      .orderBy(asc(orientationChoices.chosenAt), asc(orientationChoices.id));
    const rows = listed.map((item) => item.choice);
    await recordAudit(
      tx,
      call.agent,
      { action: 'orientation.list', subjectKind: 'case', subjectIds: [caseId, ...rows.map((row) => row.id)], outcome: 'allowed' },
      auditCallOf(call),
    );
    return {
      caseId,
      items: listed.map(({ choice, referralStatus, referralClosedAt }) => {
        const service = directory.index.byId.get(choice.serviceId)?.service;
        return {
          ...orientationChoiceOf(choice, service ? serviceCardOf(service, directory) : null),
          referralState: referralStatus ? { status: referralStatus, closedAt: referralClosedAt?.toISOString() ?? null } : null,
        };
      }),
    };
  });
}
