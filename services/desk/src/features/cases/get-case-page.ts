import { type Database, withActor } from '@parcours/db';
import type { DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import type { CaseDetail, CaseTimeline } from './case.schemas.ts';
import {
  type CaseNames,
  readCaseDetail,
  readCaseNames,
  readCaseTimeline,
  readPendingDeadlines,
  readReferralsNoLongerCovered,
} from './case-reads.ts';

/**
 * What the case page shows, in one actor transaction (one commit instead of three): the case with its
 * members, its timeline (each read audited as `getCase` and `getCaseTimeline` audit it), and the names of
 * the staff and organisations the timeline mentions. Null: 404.
 */
export async function getCasePage(
  db: Database,
  caseId: string,
  call: DeskCall,
): Promise<{
  detail: CaseDetail;
  timeline: CaseTimeline;
  names: CaseNames;
  referralsNoLongerCovered: Array<{ id: string; toOrganisationId: string }>;
  pendingDeadlines: Array<{ delayName: string; dueAt: string }>;
} | null> {
  return withActor(db, actorOf(call.agent), async (tx) => {
    const detail = await readCaseDetail(tx, caseId, call);
    if (!detail) return null;
    const timeline = await readCaseTimeline(tx, caseId, call);
    if (!timeline) return null;
    return {
      detail,
      timeline,
      names: await readCaseNames(tx, detail, timeline),
      referralsNoLongerCovered: await readReferralsNoLongerCovered(tx, detail, call.clock.now()),
      pendingDeadlines: await readPendingDeadlines(tx, caseId),
    };
  });
}
