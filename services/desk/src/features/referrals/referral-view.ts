import { caseEvents, caseTimers, type Executor, type referrals } from '@parcours/db';
import { partnerAnswerEventTypes } from '@parcours/engine';
import { allowedEventsOf, sendableEventTypes } from '@parcours/journey';
import { and, eq, inArray, min, sql } from 'drizzle-orm';
import type { ReferralView } from './referral.schemas.ts';

type ReferralRow = typeof referrals.$inferSelect;

/** Whose events a view offers: the sender's (send, cancel) or the partner's answers. */
export type ReferralSide = 'sender' | 'partner';

const senderEvents = new Set(['SEND', 'CANCEL']);

export function allowedEventsFor(row: ReferralRow, side: ReferralSide): string[] {
  const all = allowedEventsOf(
    'referral',
    row.machineVersion,
    row.snapshot as Record<string, unknown>,
    sendableEventTypes.referral,
  );
  return all.filter((type) => (side === 'sender' ? senderEvents.has(type) : partnerAnswerEventTypes.includes(type)));
}

/** Sent-at and next deadline of several referrals at once (two queries, whatever the count). */
export async function referralTimesOf(
  tx: Executor,
  referralIds: string[],
): Promise<Map<string, { sentAt: Date | null; dueAt: Date | null }>> {
  const times = new Map(referralIds.map((id) => [id, { sentAt: null as Date | null, dueAt: null as Date | null }]));
  if (referralIds.length === 0) return times;
  const sent = await tx
    .select({ referralId: caseEvents.referralId, at: min(caseEvents.at) })
    .from(caseEvents)
    .where(and(inArray(caseEvents.referralId, referralIds), eq(caseEvents.eventType, 'SEND')))
    .groupBy(caseEvents.referralId);
  const due = await tx
    .select({ referralId: caseTimers.referralId, at: min(caseTimers.dueAt) })
    .from(caseTimers)
    .where(and(inArray(caseTimers.referralId, referralIds), sql`${caseTimers.status} = 'armed'`))
    .groupBy(caseTimers.referralId);
  for (const row of sent) {
    const entry = row.referralId ? times.get(row.referralId) : undefined;
    if (entry) entry.sentAt = row.at ? new Date(row.at) : null;
  }
  for (const row of due) {
    const entry = row.referralId ? times.get(row.referralId) : undefined;
    if (entry) entry.dueAt = row.at ? new Date(row.at) : null;
  }
  return times;
}

export function referralViewOf(
  row: ReferralRow,
  side: ReferralSide,
  times: { sentAt: Date | null; dueAt: Date | null } = { sentAt: null, dueAt: null },
): ReferralView {
  const context = ((row.snapshot as { context?: Record<string, unknown> }).context ?? {}) as {
    conditions?: string | null;
    declineReason?: string | null;
    suggestedOrganisationId?: string | null;
    appointment?: { at: string; mode: 'in_person' | 'phone' | 'visio'; receptionPointId?: string } | null;
    outcome?: string | null;
  };
  return {
    id: row.id,
    caseId: row.caseId,
    fromOrganisationId: row.fromOrganisationId,
    toOrganisationId: row.toOrganisationId,
    toServiceId: row.toServiceId,
    purpose: row.purpose as ReferralView['purpose'],
    sharedCategories: row.sharedCategories as ReferralView['sharedCategories'],
    status: row.status as ReferralView['status'],
    revision: row.revision,
    allowedEvents: allowedEventsFor(row, side),
    redirectedFromId: row.redirectedFromId,
    sentAt: times.sentAt?.toISOString() ?? null,
    dueAt: row.closedAt ? null : (times.dueAt?.toISOString() ?? null),
    closedAt: row.closedAt?.toISOString() ?? null,
    answer: {
      conditions: context.conditions ?? null,
      declineReason: context.declineReason ?? null,
      suggestedOrganisationId: context.suggestedOrganisationId ?? null,
      appointment: context.appointment ?? null,
      outcome: context.outcome ?? null,
    },
  };
}

export async function referralViewWithTimes(tx: Executor, row: ReferralRow, side: ReferralSide): Promise<ReferralView> {
  const times = await referralTimesOf(tx, [row.id]);
  return referralViewOf(row, side, times.get(row.id));
}
