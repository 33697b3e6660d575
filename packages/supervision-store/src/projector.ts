import { type Database, rowsOf, systemActor, type Transaction, withActor } from '@parcours/db';
import {
  type AssessmentRow,
  type CaseAttributes,
  type CaseFacts,
  type ContactRow,
  emptyIncrements,
  emptyProjectionState,
  type Increments,
  type LoggedEvent,
  type ProjectionState,
  projectAssessment,
  projectContact,
  projectEvent,
  type ReferralAttributes,
  type ReferralFacts,
  type RightRow,
} from '@parcours/supervision';
import { type SQL, sql } from 'drizzle-orm';

/**
 * The projection: folds what was committed since it last ran into supervision's read model, in one
 * transaction per batch (facts, aggregates and the position move together, so a crash loses nothing and
 * folds nothing twice).
 *
 * Position: `processed_below` is a transaction id. A batch reads the rows whose writing transaction id lies
 * in [processed_below, xmin of its own snapshot): every transaction below that xmin has ended, so nothing
 * can still appear in the window later — unlike a sequence, where a transaction that commits late would
 * leave a gap behind the position. One projector at a time (an advisory lock).
 */

const projectionName = 'supervision';
// pg_advisory_xact_lock key: "SUPV" in ASCII.
const projectionLockKey = 0x53555056;

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));
const isoOrNull = (value: Date | null) => value?.toISOString() ?? null;

interface EventRow {
  transaction_id: string;
  sequence: number;
  case_id: string;
  referral_id: string | null;
  event_type: string;
  payload: Record<string, unknown> | string;
  to_state: string;
  actor_organisation_id: string | null;
  at: string;
}

type Change =
  | { kind: 'event'; transactionId: bigint; order: number; row: EventRow }
  | { kind: 'contact'; transactionId: bigint; order: number; row: ContactRow }
  | { kind: 'assessment'; transactionId: bigint; order: number; row: AssessmentRow };

export interface ProjectionBatch {
  /** Rows folded (events, contacts and assessments). */
  folded: number;
  /** True when the batch was full: more is waiting now. */
  more: boolean;
}

/** Folds at most about `batchSize` events (whole transactions) and what was committed with them. */
export async function projectSupervisionBatch(db: Database, options: { batchSize?: number } = {}): Promise<ProjectionBatch> {
  const batchSize = options.batchSize ?? 2_000;
  return withActor(db, systemActor, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${projectionLockKey})`);
    const [position] = rowsOf<{ from: string; to: string }>(
      await tx.execute(sql`
        select processed_below as "from", pg_snapshot_xmin(pg_current_snapshot())::text as "to"
        from supervision_projection where name = ${projectionName} for update`),
    );
    if (!position) throw new Error('supervision_projection has no position row (migration 0010)');
    const from = BigInt(position.from);
    let below = BigInt(position.to);
    if (below <= from) {
      await tx.execute(sql`update supervision_projection set caught_up_at = now() where name = ${projectionName}`);
      return { folded: 0, more: false };
    }

    let events = rowsOf<EventRow>(
      await tx.execute(sql`
        select e.transaction_id::text, e.sequence, e.case_id, e.referral_id, e.event_type, e.payload, e.to_state,
               e.actor_organisation_id, ${iso(sql`e.at`)} as at
        from case_events e
        where e.transaction_id >= ${from.toString()}::xid8 and e.transaction_id < ${below.toString()}::xid8
        -- By the xid8 column, not the text output of the same name: '1000' sorts before '999'.
        order by e.transaction_id, e.sequence
        limit ${batchSize + 1}`),
    );
    let more = false;
    if (events.length > batchSize) {
      // Stop before the last transaction read: it may go on past the limit. A single transaction larger
      // than a batch is read whole.
      more = true;
      const last = BigInt((events[events.length - 1] as EventRow).transaction_id);
      const whole = events.filter((event) => BigInt(event.transaction_id) < last);
      if (whole.length > 0) {
        events = whole;
        below = last;
      } else {
        below = last + 1n;
        events = rowsOf<EventRow>(
          await tx.execute(sql`
            select e.transaction_id::text, e.sequence, e.case_id, e.referral_id, e.event_type, e.payload, e.to_state,
                   e.actor_organisation_id, ${iso(sql`e.at`)} as at
            from case_events e where e.transaction_id = ${last.toString()}::xid8 order by e.sequence`),
        );
      }
    }
    const inWindow = (column: SQL) => sql`${column} >= ${from.toString()}::xid8 and ${column} < ${below.toString()}::xid8`;
    const contacts = rowsOf<{
      transaction_id: string;
      id: string;
      territory_id: string;
      organisation_id: string;
      channel: string;
      topic: string;
      outcome: string;
      commune: string | null;
      case_id: string | null;
      at: string;
    }>(
      await tx.execute(sql`
        select c.transaction_id::text, c.id, c.territory_id, c.organisation_id::text, c.channel, c.topic, c.outcome,
               i.commune_insee as commune, c.case_id, ${iso(sql`c.at`)} as at
        from contacts c left join person_identities i on i.person_id = c.person_id
        where ${inWindow(sql`c.transaction_id`)}`),
    );
    const assessments = rowsOf<{
      transaction_id: string;
      id: string;
      case_id: string;
      status: string;
      potential_rights: unknown;
    }>(
      await tx.execute(sql`
        select transaction_id::text, id, case_id, status, potential_rights from assessments where ${inWindow(sql`transaction_id`)}`),
    );

    const changes: Change[] = [
      ...events.map(
        (row): Change => ({ kind: 'event', transactionId: BigInt(row.transaction_id), order: Number(row.sequence), row }),
      ),
      ...contacts.map(
        (row): Change => ({
          kind: 'contact',
          transactionId: BigInt(row.transaction_id),
          order: 0,
          row: {
            contactId: row.id,
            territoryId: row.territory_id,
            organisationId: row.organisation_id,
            channel: row.channel,
            topic: row.topic,
            outcome: row.outcome,
            commune: row.commune ?? '',
            caseId: row.case_id,
            at: new Date(row.at),
          },
        }),
      ),
      ...assessments.map(
        (row): Change => ({
          kind: 'assessment',
          transactionId: BigInt(row.transaction_id),
          order: 0,
          row: {
            assessmentId: row.id,
            caseId: row.case_id,
            status: row.status,
            potentialRights: rightsOf(row.potential_rights),
          },
        }),
      ),
    ].sort((a, b) => (a.transactionId === b.transactionId ? a.order - b.order : a.transactionId < b.transactionId ? -1 : 1));

    const state = emptyProjectionState();
    const increments = emptyIncrements();
    const caseIds = new Set<string>();
    for (const change of changes) {
      if (change.kind === 'event') caseIds.add(change.row.case_id);
      else if (change.row.caseId) caseIds.add(change.row.caseId);
    }
    const referralIds = new Set(events.flatMap((event) => (event.referral_id ? [event.referral_id] : [])));
    await loadFacts(
      tx,
      state,
      [...caseIds],
      [...referralIds],
      contacts.map((contact) => contact.id),
    );
    const caseAttributes = await loadCaseAttributes(
      tx,
      events.filter((event) => event.referral_id === null && event.event_type === 'OPEN').map((event) => event.case_id),
    );
    const referralAttributes = await loadReferralAttributes(
      tx,
      [...referralIds].filter((id) => !state.referrals.has(id)),
    );

    // The rights each case holds in the facts, so that an assessment finds its case's without scanning them all.
    const rightsByCase = new Map<string, Set<string>>();
    for (const right of state.rights.values()) {
      const rights = rightsByCase.get(right.caseId) ?? new Set<string>();
      rights.add(right.right);
      rightsByCase.set(right.caseId, rights);
    }
    for (const change of changes) {
      if (change.kind === 'event') {
        const row = change.row;
        const event: LoggedEvent = {
          caseId: row.case_id,
          referralId: row.referral_id,
          eventType: row.event_type,
          payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>,
          toState: row.to_state,
          actorOrganisationId: row.actor_organisation_id,
          at: new Date(row.at),
        };
        projectEvent(
          state,
          event,
          {
            case: caseAttributes.get(row.case_id),
            referral: row.referral_id ? referralAttributes.get(row.referral_id) : undefined,
          },
          increments,
        );
      } else if (change.kind === 'contact') {
        projectContact(state, change.row, increments);
      } else {
        const caseId = change.row.caseId;
        const before = rightsByCase.get(caseId) ?? new Set<string>();
        projectAssessment(state, change.row, [...before], increments);
        const candidates = new Set([...before, ...change.row.potentialRights.map((right) => right.right)]);
        rightsByCase.set(caseId, new Set([...candidates].filter((right) => state.rights.has(`${caseId}:${right}`))));
      }
    }

    await saveFacts(tx, state);
    await addIncrements(tx, increments);
    await tx.execute(sql`
      update supervision_projection set processed_below = ${below.toString()}, updated_at = now(),
        -- Nothing more to fold: every transaction that ended before this one's snapshot is in the figures.
        caught_up_at = case when ${more} then caught_up_at else now() end
      where name = ${projectionName}`);
    return { folded: changes.length, more };
  });
}

function rightsOf(value: unknown): RightRow[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const right = item as { right?: unknown; status?: unknown; nonTakeUpReason?: unknown };
    return typeof right.right === 'string' && typeof right.status === 'string'
      ? [
          {
            right: right.right,
            status: right.status,
            nonTakeUpReason: typeof right.nonTakeUpReason === 'string' ? right.nonTakeUpReason : null,
          },
        ]
      : [];
  });
}

const jsonArray = (values: readonly string[]) => JSON.stringify(values);

async function loadFacts(
  tx: Transaction,
  state: ProjectionState,
  caseIds: string[],
  referralIds: string[],
  contactIds: string[],
): Promise<void> {
  if (caseIds.length > 0) {
    const rows = rowsOf<Record<string, string | null>>(
      await tx.execute(sql`
        select case_id, territory_id, entry_organisation_id, referent_organisation_id, channel, commune, stage,
               ${iso(sql`opened_at`)} as opened_at, ${iso(sql`first_contact_at`)} as first_contact_at,
               ${iso(sql`assessment_completed_at`)} as assessment_completed_at,
               ${iso(sql`first_referral_sent_at`)} as first_referral_sent_at,
               ${iso(sql`first_appointment_at`)} as first_appointment_at, ${iso(sql`closed_at`)} as closed_at,
               closure_reason, ${iso(sql`handover_at`)} as handover_at, ${iso(sql`stage_since`)} as stage_since,
               ${iso(sql`stage_overdue_at`)} as stage_overdue_at
        from supervision_case_facts
        where case_id in (select jsonb_array_elements_text(${jsonArray(caseIds)}::jsonb)::uuid)`),
    );
    for (const row of rows) {
      const facts: CaseFacts = {
        caseId: row.case_id as string,
        territoryId: row.territory_id as string,
        entryOrganisationId: row.entry_organisation_id as string,
        referentOrganisationId: row.referent_organisation_id as string,
        channel: row.channel as string,
        commune: row.commune as string,
        openedAt: new Date(row.opened_at as string),
        firstContactAt: dateOrNull(row.first_contact_at ?? null),
        assessmentCompletedAt: dateOrNull(row.assessment_completed_at ?? null),
        firstReferralSentAt: dateOrNull(row.first_referral_sent_at ?? null),
        firstAppointmentAt: dateOrNull(row.first_appointment_at ?? null),
        closedAt: dateOrNull(row.closed_at ?? null),
        closureReason: row.closure_reason ?? null,
        handoverAt: dateOrNull(row.handover_at ?? null),
        stage: row.stage as string,
        stageSince: new Date(row.stage_since as string),
        stageOverdueAt: dateOrNull(row.stage_overdue_at ?? null),
      };
      state.cases.set(facts.caseId, facts);
    }
    const rights = rowsOf<{
      case_id: string;
      right: string;
      assessment_id: string;
      status: string;
      non_take_up_reason: string | null;
    }>(
      await tx.execute(sql`
        select case_id, "right", assessment_id, status, non_take_up_reason from supervision_right_facts
        where case_id in (select jsonb_array_elements_text(${jsonArray(caseIds)}::jsonb)::uuid)`),
    );
    for (const row of rights) {
      state.rights.set(`${row.case_id}:${row.right}`, {
        caseId: row.case_id,
        right: row.right,
        assessmentId: row.assessment_id,
        status: row.status,
        nonTakeUpReason: row.non_take_up_reason,
      });
    }
  }
  if (referralIds.length > 0) {
    const rows = rowsOf<Record<string, string | null>>(
      await tx.execute(sql`
        select referral_id, case_id, partner_organisation_id, bundle, final_status,
               ${iso(sql`sent_at`)} as sent_at, ${iso(sql`reminded_at`)} as reminded_at,
               ${iso(sql`escalated_at`)} as escalated_at, ${iso(sql`answered_at`)} as answered_at,
               ${iso(sql`accepted_at`)} as accepted_at, ${iso(sql`first_appointment_at`)} as first_appointment_at,
               ${iso(sql`ended_at`)} as ended_at
        from supervision_referral_facts
        where referral_id in (select jsonb_array_elements_text(${jsonArray(referralIds)}::jsonb)::uuid)`),
    );
    for (const row of rows) {
      const facts: ReferralFacts = {
        referralId: row.referral_id as string,
        caseId: row.case_id as string,
        partnerOrganisationId: row.partner_organisation_id as string,
        bundle: row.bundle as string,
        sentAt: dateOrNull(row.sent_at ?? null),
        remindedAt: dateOrNull(row.reminded_at ?? null),
        escalatedAt: dateOrNull(row.escalated_at ?? null),
        answeredAt: dateOrNull(row.answered_at ?? null),
        acceptedAt: dateOrNull(row.accepted_at ?? null),
        firstAppointmentAt: dateOrNull(row.first_appointment_at ?? null),
        endedAt: dateOrNull(row.ended_at ?? null),
        finalStatus: row.final_status ?? null,
      };
      state.referrals.set(facts.referralId, facts);
    }
  }
  if (contactIds.length > 0) {
    const rows = rowsOf<{ contact_id: string; case_id: string | null }>(
      await tx.execute(sql`
        select contact_id, case_id from supervision_contact_facts
        where contact_id in (select jsonb_array_elements_text(${jsonArray(contactIds)}::jsonb)::uuid)`),
    );
    for (const row of rows) state.contacts.set(row.contact_id, { contactId: row.contact_id, caseId: row.case_id });
  }
}

async function loadCaseAttributes(tx: Transaction, caseIds: string[]): Promise<Map<string, CaseAttributes>> {
  const attributes = new Map<string, CaseAttributes>();
  if (caseIds.length === 0) return attributes;
  const rows = rowsOf<{
    id: string;
    territory_id: string;
    entry_organisation_id: string;
    channel: string;
    commune: string | null;
  }>(
    await tx.execute(sql`
      select c.id, c.territory_id, c.entry_organisation_id::text, c.channel,
             (select i.commune_insee from case_members m join person_identities i on i.person_id = m.person_id
              where m.case_id = c.id and m.role = 'primary' limit 1) as commune
      from cases c where c.id in (select jsonb_array_elements_text(${jsonArray(caseIds)}::jsonb)::uuid)`),
  );
  for (const row of rows) {
    attributes.set(row.id, {
      territoryId: row.territory_id,
      entryOrganisationId: row.entry_organisation_id,
      channel: row.channel,
      commune: row.commune ?? '',
    });
  }
  return attributes;
}

async function loadReferralAttributes(tx: Transaction, referralIds: string[]): Promise<Map<string, ReferralAttributes>> {
  const attributes = new Map<string, ReferralAttributes>();
  if (referralIds.length === 0) return attributes;
  const rows = rowsOf<{ id: string; to_organisation_id: string; bundle: string | null }>(
    await tx.execute(sql`
      select r.id, r.to_organisation_id::text,
             (select s.bundles[1] from directory_services s where s.id = r.to_service_id) as bundle
      from referrals r where r.id in (select jsonb_array_elements_text(${jsonArray(referralIds)}::jsonb)::uuid)`),
  );
  for (const row of rows) {
    attributes.set(row.id, { partnerOrganisationId: row.to_organisation_id, bundle: row.bundle ?? '' });
  }
  return attributes;
}

async function saveFacts(tx: Transaction, state: ProjectionState): Promise<void> {
  const cases = [...state.changedCases].flatMap((id) => {
    const facts = state.cases.get(id);
    return facts
      ? [
          {
            case_id: facts.caseId,
            territory_id: facts.territoryId,
            entry_organisation_id: facts.entryOrganisationId,
            referent_organisation_id: facts.referentOrganisationId,
            channel: facts.channel,
            commune: facts.commune,
            opened_at: isoOrNull(facts.openedAt),
            first_contact_at: isoOrNull(facts.firstContactAt),
            assessment_completed_at: isoOrNull(facts.assessmentCompletedAt),
            first_referral_sent_at: isoOrNull(facts.firstReferralSentAt),
            first_appointment_at: isoOrNull(facts.firstAppointmentAt),
            closed_at: isoOrNull(facts.closedAt),
            closure_reason: facts.closureReason,
            handover_at: isoOrNull(facts.handoverAt),
            stage: facts.stage,
            stage_since: isoOrNull(facts.stageSince),
            stage_overdue_at: isoOrNull(facts.stageOverdueAt),
          },
        ]
      : [];
  });
  if (cases.length > 0) {
    await tx.execute(sql`
      insert into supervision_case_facts
      select * from jsonb_populate_recordset(null::supervision_case_facts, ${JSON.stringify(cases)}::jsonb)
      on conflict (case_id) do update set
        referent_organisation_id = excluded.referent_organisation_id,
        first_contact_at = excluded.first_contact_at, assessment_completed_at = excluded.assessment_completed_at,
        first_referral_sent_at = excluded.first_referral_sent_at, first_appointment_at = excluded.first_appointment_at,
        closed_at = excluded.closed_at, closure_reason = excluded.closure_reason, handover_at = excluded.handover_at,
        stage = excluded.stage, stage_since = excluded.stage_since, stage_overdue_at = excluded.stage_overdue_at`);
  }
  const referrals = [...state.changedReferrals].flatMap((id) => {
    const facts = state.referrals.get(id);
    const caseFacts = facts ? state.cases.get(facts.caseId) : undefined;
    return facts && caseFacts
      ? [
          {
            referral_id: facts.referralId,
            case_id: facts.caseId,
            territory_id: caseFacts.territoryId,
            partner_organisation_id: facts.partnerOrganisationId,
            bundle: facts.bundle,
            sent_at: isoOrNull(facts.sentAt),
            reminded_at: isoOrNull(facts.remindedAt),
            escalated_at: isoOrNull(facts.escalatedAt),
            answered_at: isoOrNull(facts.answeredAt),
            accepted_at: isoOrNull(facts.acceptedAt),
            first_appointment_at: isoOrNull(facts.firstAppointmentAt),
            ended_at: isoOrNull(facts.endedAt),
            final_status: facts.finalStatus,
          },
        ]
      : [];
  });
  if (referrals.length > 0) {
    await tx.execute(sql`
      insert into supervision_referral_facts
      select * from jsonb_populate_recordset(null::supervision_referral_facts, ${JSON.stringify(referrals)}::jsonb)
      on conflict (referral_id) do update set
        sent_at = excluded.sent_at, reminded_at = excluded.reminded_at, escalated_at = excluded.escalated_at,
        answered_at = excluded.answered_at, accepted_at = excluded.accepted_at,
        first_appointment_at = excluded.first_appointment_at, ended_at = excluded.ended_at,
        final_status = excluded.final_status`);
  }
  const contacts = [...state.changedContacts].flatMap((id) => {
    const facts = state.contacts.get(id);
    return facts ? [{ contact_id: facts.contactId, case_id: facts.caseId }] : [];
  });
  if (contacts.length > 0) {
    await tx.execute(sql`
      insert into supervision_contact_facts
      select * from jsonb_populate_recordset(null::supervision_contact_facts, ${JSON.stringify(contacts)}::jsonb)
      on conflict (contact_id) do update set case_id = excluded.case_id`);
  }
  if (state.changedRights.size > 0) {
    const keys = [...state.changedRights].map((key) => {
      const [caseId, right] = key.split(':');
      return { case_id: caseId, right };
    });
    const kept = [...state.changedRights].flatMap((key) => {
      const facts = state.rights.get(key);
      return facts
        ? [
            {
              case_id: facts.caseId,
              right: facts.right,
              assessment_id: facts.assessmentId,
              status: facts.status,
              non_take_up_reason: facts.nonTakeUpReason,
            },
          ]
        : [];
    });
    await tx.execute(sql`
      delete from supervision_right_facts f
      using jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(case_id uuid, "right" text)
      where f.case_id = k.case_id and f."right" = k."right"`);
    if (kept.length > 0) {
      await tx.execute(sql`
        insert into supervision_right_facts
        select * from jsonb_populate_recordset(null::supervision_right_facts, ${JSON.stringify(kept)}::jsonb)`);
    }
  }
}

async function addIncrements(tx: Transaction, increments: Increments): Promise<void> {
  const delays = [...increments.delays.values()].map(({ cell, count }) => ({
    territory_id: cell.territoryId,
    month: cell.month,
    stage: cell.stage,
    entry_organisation_id: cell.entryOrganisationId,
    partner_organisation_id: cell.partnerOrganisationId,
    bundle: cell.bundle,
    channel: cell.channel,
    day_kind: cell.dayKind,
    days: cell.days,
    count,
  }));
  if (delays.length > 0) {
    await tx.execute(sql`
      insert into supervision_delays
      select * from jsonb_populate_recordset(null::supervision_delays, ${JSON.stringify(delays)}::jsonb)
      on conflict on constraint supervision_delays_pk do update set count = supervision_delays.count + excluded.count`);
  }
  const counts = [...increments.counts.values()]
    .filter(({ count }) => count !== 0)
    .map(({ cell, count }) => ({
      territory_id: cell.territoryId,
      month: cell.month,
      measure: cell.measure,
      entry_organisation_id: cell.entryOrganisationId,
      partner_organisation_id: cell.partnerOrganisationId,
      bundle: cell.bundle,
      channel: cell.channel,
      commune: cell.commune,
      code: cell.code,
      detail: cell.detail,
      count,
    }));
  if (counts.length > 0) {
    await tx.execute(sql`
      insert into supervision_counts
      select * from jsonb_populate_recordset(null::supervision_counts, ${JSON.stringify(counts)}::jsonb)
      on conflict on constraint supervision_counts_pk do update set count = supervision_counts.count + excluded.count`);
  }
}

/** Folds everything committed so far (batch after batch). Returns the rows folded. */
export async function projectSupervisionUntilCaughtUp(db: Database, options: { batchSize?: number } = {}): Promise<number> {
  let folded = 0;
  for (;;) {
    const batch = await projectSupervisionBatch(db, options);
    folded += batch.folded;
    if (!batch.more) return folded;
  }
}

/**
 * Empties the read model and folds the whole log again. Safe while the worker runs: the emptying takes the
 * projection's lock and resets its position in one transaction, and every batch after it starts from there.
 */
export async function rebuildSupervision(db: Database, options: { batchSize?: number } = {}): Promise<number> {
  await withActor(db, systemActor, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${projectionLockKey})`);
    await tx.execute(sql`
      truncate supervision_case_facts, supervision_referral_facts, supervision_contact_facts, supervision_right_facts,
               supervision_delays, supervision_counts`);
    await tx.execute(
      sql`update supervision_projection set processed_below = '0', updated_at = now() where name = ${projectionName}`,
    );
  });
  return projectSupervisionUntilCaughtUp(db, options);
}
