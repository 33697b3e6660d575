import { z } from 'zod';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** The worker's configuration, read once at boot: a wrong value stops the process before it does anything. */
export const workerEnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** Set: BullMQ on this Redis. Unset: jobs run in this process. */
  REDIS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^rediss?$/ }).optional()),
  /** Set: mail goes out through this SMTP server. Unset: captured as .eml files in MAIL_CAPTURE_DIR. */
  SMTP_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^smtps?$/ }).optional()),
  MAIL_CAPTURE_DIR: z.string().min(1).default('.data/mail'),
  /** SMTP connections kept open (pool) and the most messages per second sent to the server (unset: no limit). */
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  SMTP_RATE_PER_SECOND: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).optional()),
  /** Jobs run at once per queue and worker process (BullMQ). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  MAIL_FROM: z.string().min(3).default('Parcours <ne-pas-repondre@parcours.localhost>'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
  RELAY_INTERVAL_MS: z.coerce.number().int().min(10).default(1_000),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  QUEUE_PREFIX: z.string().min(1).default('parcours'),
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /** Longer than any transaction that writes audit rows: see @parcours/audit. */
  AUDIT_SAFETY_MARGIN_MS: z.coerce.number().int().min(0).default(120_000),
  /** How often relayed jobs not yet done are enqueued again, and how long after its relay a job is left alone. */
  REDISPATCH_INTERVAL_MS: z.coerce.number().int().min(50).default(30_000),
  REDISPATCH_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  /** A mail delivery `pending` for longer was cut short by a dead worker: marked `uncertain`. */
  STALE_PENDING_MAIL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(15 * 60 * 1000),
  /**
   * Keys the digest each audit row carries (the worker writes them for the timers it fires): the same as the
   * desk's. Unset, it is derived from SESSION_SECRET; with neither, the worker refuses to start.
   */
  AUDIT_DIGEST_KEY: z.preprocess(emptyAsUndefined, z.string().min(32).optional()),
  SESSION_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32).optional()),
});
export type WorkerEnv = z.infer<typeof workerEnvSchema>;

export function parseWorkerEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const parsed = workerEnvSchema.safeParse(env);
  if (!parsed.success) {
    // Names and problems only: values may be secrets.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n  ');
    throw new Error(`Invalid worker environment:\n  ${problems}`);
  }
  return parsed.data;
}
