/**
 * Mail under faults: cases are opened (each mails the agent it is assigned to) while the run breaks, in turn,
 * the SMTP server (4xx, 5xx, connections closed), Redis (`FLUSHALL`, then `kill -9` and a restart empty), a
 * worker (`kill -9` mid-batch, two workers competing for the queues) and PostgreSQL (restarted). Then, from
 * PostgreSQL and the sink: every mail arrived once (counted by Message-ID), none twice, no relayed job is
 * still owed, no delivery is left pending; a mail a killed worker may or may not have sent is `uncertain`
 * and counted as such (visible to admins), never silently lost.
 */

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Actor, agents, jobFailures, mailDeliveries, memberships, openDatabase, outbox, rowsOf } from '@parcours/db';
import { createReferral, openCase, sendCaseEvent, sendReferralEvent } from '@parcours/engine';
import { listJobFailures, listUndeliveredMail } from '@parcours/job-store';
import { createFixtureTerritory } from '@parcours/testing';
import { and, count, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import {
  type MailSink,
  messageIdOf,
  type OwnPostgres,
  type OwnRedis,
  startMailSink,
  startOwnPostgres,
  startOwnRedis,
  startWorkerProcess,
  type WorkerProcess,
} from './fault-services.ts';

export interface FaultReport {
  cases: number;
  mailsExpected: number;
  mailsDelivered: number;
  /** Expected mails that never arrived and are not marked uncertain: lost without anyone told. */
  lost: number;
  duplicated: number;
  /** Claimed by a worker that was killed: may have left or not; listed for admins. */
  uncertain: number;
  uncertainDelivered: number;
  owedOutboxRows: number;
  pendingDeliveries: number;
  faults: Array<{ fault: string; at: number; recoverySeconds: number | null }>;
  /** Referrals sent with deadlines of zero days: reminder and escalation each fire once. */
  referralsSent: number;
  timersFired: number;
  /** A referral deadline that fired twice (a timer delivered twice and applied twice). */
  timersFiredTwice: number;
  /** Deadlines due and never fired. */
  timersOwed: number;
  /**
   * The territory whose expiry is due at once and races the reminder and escalation: every referral must end
   * expired, by one expiry each; what the race let fire before it is counted.
   */
  expiryRace: { referrals: number; expired: number; expiriesFired: number; remindersFired: number; escalationsFired: number };
  /** Mails not delivered that an admin's list of undelivered mail (« Exploitation », `jobs failed`) does not show. */
  undeliveredNotListed: number;
  /** Jobs that failed for good, and how many of them the admin's list of failed jobs shows. */
  jobsFailed: number;
  jobsFailedListed: number;
  /** Workers that exited without being killed by the run (restarted, as a supervisor would). */
  workerCrashes: string[];
  drainedSeconds: number;
  totalSeconds: number;
}

/** What a crashed worker said last at level fatal (its message and error class), from its JSON log. */
function fatalLineOf(logFile: string): string {
  try {
    const fatal = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"level":60'))
      .at(-1);
    if (!fatal) return 'no fatal line';
    const entry = JSON.parse(fatal) as { msg?: string; err?: { type?: string; message?: string; stack?: string } };
    return `${entry.msg ?? ''} — ${entry.err?.type ?? ''}: ${entry.err?.message ?? ''} ${(entry.err?.stack ?? '').split('\n').slice(1, 4).join(' | ')}`;
  } catch {
    return 'no log';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runMailFaults(options: { cases: number; log?: (line: string) => void }): Promise<FaultReport> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  let postgres: OwnPostgres | null = null;
  let redis: OwnRedis | null = null;
  let sink: MailSink | null = null;
  const workers: WorkerProcess[] = [];
  try {
    postgres = await startOwnPostgres();
    redis = await startOwnRedis();
    sink = await startMailSink();
    log(`services: PostgreSQL :${postgres.port}, ${redis.url}, ${sink.url}`);

    const owner = await openDatabase({ url: postgres.ownerUrl, maxConnections: 4 });
    await owner.migrate();
    // The workers log in as production's service role: owns nothing, member of the application and system roles.
    await owner.db.execute(sql`create role parcours login in role parcours_app, parcours_system`);
    // Two territories. In the first, referral deadlines of zero working days for the reminder and the escalation
    // (both kept in the same state) and one for the expiry: each referral mails a reminder and an escalation.
    // In the second, the expiry is due at once too and races them: whichever timer the workers deliver first
    // wins, the expiry cancels what has not fired, and every referral ends expired. Either way the durable
    // timers go through the faults, and each must fire once for its arming or be cancelled, never owed.
    const territories: Array<{
      fixture: Awaited<ReturnType<typeof createFixtureTerritory>>;
      recipients: Array<{ id: string }>;
      supervisorId: string;
      actor: Actor;
    }> = [];
    for (const delays of [
      { referralReminder: 0, referralEscalation: 0, referralExpiry: 1 },
      { referralReminder: 0, referralEscalation: 0, referralExpiry: 0 },
    ]) {
      const fixture = await createFixtureTerritory(owner.db, { delays });
      const recipients = await owner.db
        .insert(agents)
        .values(
          Array.from({ length: 10 }, (_, index) => ({
            email: `referente-${index}-${fixture.territoryId}@faults.test`,
            displayName: `Référente ${index}`,
          })),
        )
        .returning({ id: agents.id });
      await owner.db
        .insert(memberships)
        .values(
          recipients.map((agent) => ({ agentId: agent.id, organisationId: fixture.entryOrganisationId, roles: ['referent'] })),
        );
      // Escalations go to the sending organisation's supervisors.
      const [supervisor] = await owner.db
        .insert(agents)
        .values({ email: `encadrante-${fixture.territoryId}@faults.test`, displayName: 'Encadrante' })
        .returning({ id: agents.id });
      await owner.db
        .insert(memberships)
        .values({ agentId: supervisor?.id as string, organisationId: fixture.entryOrganisationId, roles: ['supervisor'] });
      const actor: Actor = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };
      territories.push({ fixture, recipients, supervisorId: supervisor?.id as string, actor });
    }
    const [deadlines, expiring] = territories as [(typeof territories)[number], (typeof territories)[number]];

    const workerEnv = {
      DATABASE_URL: `postgres://parcours@127.0.0.1:${postgres.port}/postgres`,
      REDIS_URL: redis.url,
      SMTP_URL: sink.url,
      MAIL_FROM: 'Parcours <parcours@faults.test>',
      QUEUE_PREFIX: 'faults',
      RELAY_INTERVAL_MS: '50',
      SWEEP_INTERVAL_MS: '1000',
      REDISPATCH_INTERVAL_MS: '1000',
      REDISPATCH_GRACE_MS: '3000',
      STALE_PENDING_MAIL_MS: '5000',
      AUDIT_SEAL_INTERVAL_MS: '600000',
      AUDIT_DIGEST_KEY: 'a fault run key, long enough to key digests',
    };
    // As systemd would (Restart=always): a worker that exits on its own is started again, and counted.
    const crashes: string[] = [];
    let stopping = false;
    const logDir = mkdtempSync(join(tmpdir(), 'parcours-faults-workers-'));
    let workersStarted = 0;
    const supervised = (): WorkerProcess => {
      workersStarted += 1;
      const logFile = join(logDir, `worker-${workersStarted}.log`);
      const worker = startWorkerProcess(workerEnv, logFile);
      void worker.exited.then((code) => {
        if (stopping || killedOnPurpose.has(worker)) return;
        crashes.push(`worker exited with code ${code}: ${fatalLineOf(logFile)}`);
        log(`a worker exited on its own (code ${code}): started again`);
        workers.splice(workers.indexOf(worker), 1, supervised());
      });
      return worker;
    };
    const killedOnPurpose = new Set<WorkerProcess>();
    workers.push(supervised(), supervised());

    const faults: FaultReport['faults'] = [];
    const recoveryOf = (since: number) => {
      const next = sink?.arrivals.find((arrival) => arrival > since);
      return next === undefined ? null : (next - since) / 1000;
    };
    const inject = async (fault: string, act: () => Promise<void> | void) => {
      log(`fault: ${fault}`);
      await act();
      faults.push({ fault, at: Date.now(), recoverySeconds: null });
    };
    const schedule: Array<{ at: number; fault: string; act: () => Promise<void> | void }> = [
      {
        at: 0.1,
        fault: 'SMTP refusing: 4xx, then 5xx, then closing connections, 1.5 s each',
        act: async () => {
          const current = sink as MailSink;
          for (const mode of ['tempfail', 'permfail', 'close'] as const) {
            current.mode = mode;
            await sleep(1_500);
          }
          current.mode = 'accept';
        },
      },
      { at: 0.3, fault: 'Redis FLUSHALL', act: () => (redis as OwnRedis).flushAll() },
      {
        at: 0.5,
        fault: 'Redis kill -9, restarted empty 1.5 s later',
        act: async () => {
          (redis as OwnRedis).kill();
          await sleep(1_500);
          await (redis as OwnRedis).start();
        },
      },
      {
        at: 0.65,
        fault: 'a worker kill -9 mid-batch, restarted 1 s later',
        act: async () => {
          const victim = workers.shift() as WorkerProcess;
          killedOnPurpose.add(victim);
          victim.kill();
          await sleep(1_000);
          workers.push(supervised());
        },
      },
      { at: 0.8, fault: 'PostgreSQL restarted', act: () => (postgres as OwnPostgres).restart() },
    ];

    // The workload: cases opened at a steady pace, each assigned to a référente (one mail each); every fourth
    // is assessed and referred to the partner, whose deadlines then fire (a reminder to the partner's agents,
    // an escalation to the supervisor). A step refused while PostgreSQL restarts is tried again
    // from the start (the engine's transaction either committed or not; what counts is read from the log).
    for (let opened = 0; opened < options.cases; ) {
      const due = schedule[0];
      if (due && opened >= due.at * options.cases) {
        schedule.shift();
        await inject(due.fault, due.act);
      }
      // Cases 0, 4, 8… are referred in the first territory, 2, 6, 10… in the second, the others only opened.
      const { fixture, recipients, actor } = opened % 4 === 2 ? expiring : deadlines;
      try {
        const caseView = await openCase(
          owner.db,
          {
            territoryId: fixture.territoryId,
            entryOrganisationId: fixture.entryOrganisationId,
            channel: 'physical',
            expressedRequest: 'Demande (test de pannes)',
            members: [{ personId: fixture.personId, role: 'primary' }],
            referentAgentId: (recipients[opened % recipients.length] as { id: string }).id,
          },
          { actor },
        );
        if (opened % 2 === 0) {
          let view = await sendCaseEvent(
            owner.db,
            { caseId: caseView.id, event: { type: 'START_ASSESSMENT' }, expectedRevision: caseView.revision },
            { actor },
          );
          view = await sendCaseEvent(
            owner.db,
            { caseId: caseView.id, event: { type: 'COMPLETE_ASSESSMENT' }, expectedRevision: view.revision },
            { actor },
          );
          const draft = await createReferral(
            owner.db,
            {
              caseId: caseView.id,
              fromOrganisationId: fixture.entryOrganisationId,
              toOrganisationId: fixture.partnerOrganisationId,
              purpose: 'rights_opening',
              sharedCategories: ['identity'],
            },
            { actor },
          );
          await sendReferralEvent(owner.db, { referralId: draft.id, event: { type: 'SEND' }, expectedRevision: 0 }, { actor });
        }
        opened += 1;
        if (opened % 20 === 0) await sleep(30);
      } catch {
        await sleep(200);
      }
    }
    log(`${options.cases} cases opened; waiting for the mail to drain`);

    // Every mail owed, from its cause in the outbox: the assignment to its référente; the new referral and its
    // reminder to the partner's agent; an escalation to the sending organisation's supervisor.
    const partnerAgentOf = new Map(territories.map(({ fixture }) => [fixture.partnerOrganisationId, fixture.partnerAgentId]));
    const supervisorOf = new Map(territories.map(({ fixture, supervisorId }) => [fixture.entryOrganisationId, supervisorId]));
    const expectedKeys = async () => {
      const rows = rowsOf<{ id: string; job: string; agent_id: string | null; to_id: string | null; from_id: string | null }>(
        await owner.db.execute(sql`
          select o.id, o.job_name as job, o.payload->'params'->>'agentId' as agent_id,
                 r.to_organisation_id as to_id, r.from_organisation_id as from_id
          from outbox o left join referrals r on r.id = (o.payload->>'referralId')::uuid
          where o.job_name in ('effect.notifyCaseAssigned', 'effect.notifyReferralSent', 'effect.remindPartner',
                               'effect.escalateToSenderSupervisor')`),
      );
      return rows.map((row) =>
        row.job === 'effect.notifyCaseAssigned'
          ? `${row.id}:case-assigned:${row.agent_id}`
          : row.job === 'effect.notifyReferralSent'
            ? `${row.id}:referral-received:${partnerAgentOf.get(row.to_id ?? '')}`
            : row.job === 'effect.remindPartner'
              ? `${row.id}:referral-reminder:${partnerAgentOf.get(row.to_id ?? '')}`
              : `${row.id}:referral-escalation:${supervisorOf.get(row.from_id ?? '')}`,
      );
    };
    // Referral deadlines due and not fired (or fired more than once for one arming).
    const timersOwed = async () =>
      rowsOf<{ n: number }>(
        await owner.db.execute(
          sql`select count(*)::int as n from case_timers where status = 'armed' and due_at < now() - interval '2 seconds'`,
        ),
      )[0]?.n ?? 0;
    const owedRows = async () =>
      Number(
        (
          await owner.db
            .select({ n: count() })
            .from(outbox)
            .where(and(isNotNull(outbox.dispatchedAt), isNull(outbox.completedAt)))
        )[0]?.n ?? 0,
      ) + Number((await owner.db.select({ n: count() }).from(outbox).where(isNull(outbox.dispatchedAt)))[0]?.n ?? 0);
    // Three minutes, or more for a long run (the mail of 10,000 cases takes minutes to leave at this pace).
    const drainDeadlineMs = Math.max(180_000, options.cases * 60);
    const drainStarted = Date.now();
    let keys: string[] = [];
    for (;;) {
      keys = await expectedKeys();
      const uncertain = Number(
        (await owner.db.select({ n: count() }).from(mailDeliveries).where(eq(mailDeliveries.status, 'uncertain')))[0]?.n ?? 0,
      );
      const delivered = keys.filter((key) => (sink as MailSink).received.has(messageIdOf(key))).length;
      const pending = Number(
        (await owner.db.select({ n: count() }).from(mailDeliveries).where(eq(mailDeliveries.status, 'pending')))[0]?.n ?? 0,
      );
      if (delivered + uncertain >= keys.length && pending === 0 && (await owedRows()) === 0 && (await timersOwed()) === 0) {
        break;
      }
      if (Date.now() - drainStarted > drainDeadlineMs) {
        log(
          `not drained after ${drainDeadlineMs / 1000} s: ${delivered} delivered, ${uncertain} uncertain of ${keys.length}, ${pending} pending`,
        );
        break;
      }
      await sleep(500);
    }
    const drainedSeconds = (Date.now() - drainStarted) / 1000;
    stopping = true;
    for (const fault of faults) fault.recoverySeconds = recoveryOf(fault.at);

    const uncertainKeys = new Set(
      (
        await owner.db
          .select({ key: mailDeliveries.idempotencyKey })
          .from(mailDeliveries)
          .where(eq(mailDeliveries.status, 'uncertain'))
      ).map((row) => row.key),
    );
    const received = (sink as MailSink).received;
    const [timerFirings] = rowsOf<{ fired: number; twice: number }>(
      await owner.db.execute(sql`
        select coalesce(sum(n), 0)::int as fired, count(*) filter (where n > 1)::int as twice from (
          select referral_id, event_type, count(*) as n from case_events
          where referral_id is not null and event_type like 'xstate.after.%' group by 1, 2) fired`),
    );
    // What the admins see: every delivery not sent is in the undelivered list; every job failed for good in the
    // failed jobs' list.
    const listed = new Set((await listUndeliveredMail(owner.db, 1_000_000)).map((mail) => mail.id));
    const notSent = await owner.db
      .select({ id: mailDeliveries.id })
      .from(mailDeliveries)
      .where(sql`${mailDeliveries.status} <> 'sent'`);
    const jobsFailed = Number((await owner.db.select({ n: count() }).from(jobFailures))[0]?.n ?? 0);
    const [race] = rowsOf<FaultReport['expiryRace']>(
      await owner.db.execute(sql`
        select count(*)::int as referrals,
               count(*) filter (where r.status = 'expired')::int as expired,
               coalesce(sum((select count(*) from case_events e where e.referral_id = r.id
                             and e.event_type like 'xstate.after.referralExpiry.%')), 0)::int as "expiriesFired",
               coalesce(sum((select count(*) from case_events e where e.referral_id = r.id
                             and e.event_type like 'xstate.after.referralReminder.%')), 0)::int as "remindersFired",
               coalesce(sum((select count(*) from case_events e where e.referral_id = r.id
                             and e.event_type like 'xstate.after.referralEscalation.%')), 0)::int as "escalationsFired"
        from referrals r join cases c on c.id = r.case_id
        where c.territory_id = ${expiring.fixture.territoryId} and r.status <> 'draft'`),
    );
    const report: FaultReport = {
      cases: options.cases,
      mailsExpected: keys.length,
      mailsDelivered: keys.filter((key) => received.has(messageIdOf(key))).length,
      lost: keys.filter((key) => !received.has(messageIdOf(key)) && !uncertainKeys.has(key)).length,
      undeliveredNotListed: notSent.filter((delivery) => !listed.has(delivery.id)).length,
      jobsFailed,
      jobsFailedListed: (await listJobFailures(owner.db, 1_000_000)).length,
      expiryRace: race ?? { referrals: 0, expired: 0, expiriesFired: 0, remindersFired: 0, escalationsFired: 0 },
      duplicated: [...received.values()].filter((times) => times > 1).length,
      uncertain: uncertainKeys.size,
      uncertainDelivered: [...uncertainKeys].filter((key) => received.has(messageIdOf(key))).length,
      owedOutboxRows: await owedRows(),
      pendingDeliveries: Number(
        (await owner.db.select({ n: count() }).from(mailDeliveries).where(eq(mailDeliveries.status, 'pending')))[0]?.n ?? 0,
      ),
      faults,
      // From the log, not the loop's count: a step cut by the PostgreSQL restart may have committed.
      referralsSent:
        rowsOf<{ n: number }>(await owner.db.execute(sql`select count(*)::int as n from referrals where status <> 'draft'`))[0]
          ?.n ?? 0,
      timersFired: timerFirings?.fired ?? 0,
      timersFiredTwice: timerFirings?.twice ?? 0,
      timersOwed: await timersOwed(),
      workerCrashes: crashes,
      drainedSeconds,
      totalSeconds: (Date.now() - started) / 1000,
    };
    await owner.close();
    return report;
  } finally {
    await Promise.all(workers.map((worker) => worker.stop().catch(() => worker.kill())));
    await sink?.close();
    redis?.stop();
    postgres?.stop();
  }
}
