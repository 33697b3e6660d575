import type { Database } from '@parcours/db';
import { listJobFailures, listUndeliveredMail, replayJobFailure, resendMail } from '@parcours/job-store';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { recordAudit } from '../audit/audit-writer.ts';

/**
 * An admin's view of the background work that did not go through, and the two things they can do about it
 * (`@parcours/job-store`): replay a failed job, resend a mail once checked. Ids, templates and error classes
 * only. Both actions are audited; both are idempotent.
 */
export async function listOperationIssues(db: Database) {
  const [failures, mails] = await Promise.all([listJobFailures(db), listUndeliveredMail(db)]);
  return { failures, mails };
}

export async function replayFailedJob(db: Database, failureId: string, call: DeskCall) {
  const outcome = await replayJobFailure(db, failureId, call.clock.now());
  await recordAudit(
    db,
    call.agent,
    { action: 'job.replay', subjectKind: 'job', subjectIds: [failureId], outcome: outcome === 'requeued' ? 'allowed' : 'denied' },
    auditCallOf(call),
  );
  return outcome;
}

export async function resendUndeliveredMail(db: Database, deliveryId: string, call: DeskCall) {
  const outcome = await resendMail(db, deliveryId);
  await recordAudit(
    db,
    call.agent,
    {
      action: 'mail.resend',
      subjectKind: 'mail',
      subjectIds: [deliveryId],
      outcome: outcome === 'requeued' ? 'allowed' : 'denied',
    },
    auditCallOf(call),
  );
  return outcome;
}
