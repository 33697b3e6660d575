import { type Database, rowsOf } from '@parcours/db';
import { sql } from 'drizzle-orm';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What the people who run Parcours watch, in Prometheus' text format: requests by route template and status
 * with their latency, and, read from PostgreSQL at each scrape, the outbox (waiting to be relayed, relayed and
 * still owed, the oldest one's age, per job), jobs failed for good, the oldest audit row not yet sealed, and
 * the referrals past their reminder deadline. Counts and ages only: no id, no name, no path with an id in it.
 */
export interface DeskMetrics {
  registry: Registry;
  /** Counts and times every request, labelled by the route template it matched. */
  observeRequests: RequestHandler;
}

export function createDeskMetrics(db: Database): DeskMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'parcours_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'parcours_http_request_duration_seconds',
    help: 'Time to answer, by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  const readGauge = (name: string, help: string, labelNames: string[], read: (gauge: Gauge) => Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        await read(this);
      },
    });

  readGauge(
    'parcours_outbox_rows',
    'Outbox rows by state (waiting: not relayed yet; owed: relayed, not done) and job',
    ['state', 'job'],
    async (gauge) => {
      gauge.reset();
      const rows = rowsOf<{ state: string; job: string; n: number }>(
        await db.execute(sql`
        select case when dispatched_at is null then 'waiting' else 'owed' end as state, job_name as job, count(*)::int as n
        from outbox where completed_at is null group by 1, 2`),
      );
      for (const row of rows) gauge.set({ state: row.state, job: row.job }, row.n);
    },
  );
  readGauge(
    'parcours_outbox_oldest_waiting_seconds',
    'Age of the oldest outbox row not relayed yet (relay lag)',
    [],
    async (gauge) => {
      const [row] = rowsOf<{ age: number | null }>(
        await db.execute(sql`
        select extract(epoch from now() - min(available_at))::float8 as age
        from outbox where dispatched_at is null and available_at <= now()`),
      );
      gauge.set(Math.max(0, row?.age ?? 0));
    },
  );
  readGauge(
    'parcours_jobs_failed',
    'Jobs failed for good and not replayed yet (npm run -w @parcours/worker jobs -- failed)',
    [],
    async (gauge) => {
      const [row] = rowsOf<{ n: number }>(
        await db.execute(sql`select count(*)::int as n from job_failures where replayed_at is null`),
      );
      gauge.set(row?.n ?? 0);
    },
  );
  readGauge(
    'parcours_mail_deliveries',
    'Mail deliveries needing a look, by status (failed: retried; uncertain: an admin checks)',
    ['status'],
    async (gauge) => {
      gauge.reset();
      const rows = rowsOf<{ status: string; n: number }>(
        await db.execute(
          sql`select status, count(*)::int as n from mail_deliveries where status in ('failed', 'uncertain', 'pending') group by status`,
        ),
      );
      for (const status of ['failed', 'uncertain', 'pending'])
        gauge.set({ status }, rows.find((row) => row.status === status)?.n ?? 0);
    },
  );
  readGauge(
    'parcours_audit_oldest_unsealed_seconds',
    'Age of the oldest audit row not yet in the hash chain',
    [],
    async (gauge) => {
      const [row] = rowsOf<{ age: number | null }>(
        await db.execute(sql`
        select extract(epoch from now() - min(at))::float8 as age from audit_events
        where sequence > coalesce((select max(to_sequence) from audit_seals), 0)`),
      );
      gauge.set(Math.max(0, row?.age ?? 0));
    },
  );
  readGauge(
    'parcours_referrals_in_breach',
    'Referrals past their reminder deadline and still unanswered, every territory',
    [],
    async (gauge) => {
      const [row] = rowsOf<{ n: number }>(
        await db.execute(sql`
        select count(*)::int as n from supervision_referral_facts
        where reminded_at is not null and answered_at is null and final_status is null`),
      );
      gauge.set(row?.n ?? 0);
    },
  );

  const observeRequests: RequestHandler = (req, res, next) => {
    const stop = latency.startTimer();
    res.once('finish', () => {
      // The template the request matched (`/api/v1/cases/:caseId`), never the path with its ids.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      stop({ method: req.method, route });
    });
    next();
  };
  return { registry, observeRequests };
}
