/**
 * Mail under faults: cases are opened (each mails the agent it is assigned to) while the run breaks, in turn,
 * the SMTP server (4xx, 5xx, connections closed), Redis (`FLUSHALL`, then `kill -9` and a restart empty), a
 * worker (`kill -9` mid-batch, two workers competing for the queues) and PostgreSQL (restarted). Then, from
 * PostgreSQL and the sink: every mail arrived once (counted by Message-ID), none twice, no relayed job is
 * still owed, no delivery is left pending; a mail a killed worker may or may not have sent is `uncertain`
 * and counted as such (visible to admins), never silently lost.
 */
import { type Actor, agents, mailDeliveries, memberships, openDatabase, outbox, rowsOf } from '@parcours/db';
import { createReferral, openCase, sendCaseEvent, sendReferralEvent } from '@parcours/engine';
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
  /** Workers that exited without being killed by the run (restarted, as a supervisor would). */
  workerCrashes: string[];
  drainedSeconds: number;
  totalSeconds: number;
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
    // Referral deadlines of zero working days: a referral sent is due at once for its reminder and its
    // escalation (both kept in the same state), so the run drives the durable timers through the faults too.
    // The expiry (which would cancel the others, in whatever order they fire) waits a working day.
    const fixture = await createFixtureTerritory(owner.db, {
      delays: { referralReminder: 0, referralEscalation: 0, referralExpiry: 1 },
    });
    const recipients = await owner.db
      .insert(agents)
      .values(
        Array.from({ length: 10 }, (_, index) => ({
          email: `referente-${index}@faults.test`,
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
      .values({ email: 'encadrante@faults.test', displayName: 'Encadrante' })
      .returning({ id: agents.id });
    await owner.db
      .insert(memberships)
      .values({ agentId: supervisor?.id as string, organisationId: fixture.entryOrganisationId, roles: ['supervisor'] });
    const actor: Actor = { kind: 'agent', id: fixture.agentId, organisationId: fixture.entryOrganisationId };

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
    const supervised = (): WorkerProcess => {
      const worker = startWorkerProcess(workerEnv);
      void worker.exited.then((code) => {
        if (stopping || killedOnPurpose.has(worker)) return;
        crashes.push(`worker exited with code ${code}`);
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
        if (opened % 4 === 0) {
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

    // Every mail owed, from its cause in the outbox: the assignment to its référente, a reminder to the
    // partner's agent, an escalation to the supervisor.
    const expectedKeys = async () => {
      const rows = await owner.db
        .select({ id: outbox.id, job: outbox.jobName, agentId: sql<string | null>`${outbox.payload}->'params'->>'agentId'` })
        .from(outbox)
        .where(
          sql`${outbox.jobName} in ('effect.notifyCaseAssigned', 'effect.remindPartner', 'effect.escalateToSenderSupervisor')`,
        );
      return rows.map((row) =>
        row.job === 'effect.notifyCaseAssigned'
          ? `${row.id}:case-assigned:${row.agentId}`
          : row.job === 'effect.remindPartner'
            ? `${row.id}:referral-reminder:${fixture.partnerAgentId}`
            : `${row.id}:referral-escalation:${supervisor?.id}`,
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
      if (Date.now() - drainStarted > 180_000) {
        log(`not drained after 180 s: ${delivered} delivered, ${uncertain} uncertain of ${keys.length}, ${pending} pending`);
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
    const report: FaultReport = {
      cases: options.cases,
      mailsExpected: keys.length,
      mailsDelivered: keys.filter((key) => received.has(messageIdOf(key))).length,
      lost: keys.filter((key) => !received.has(messageIdOf(key)) && !uncertainKeys.has(key)).length,
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
