import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** The desk's environment, parsed once at boot; a missing or malformed variable stops the start. */
export const deskEnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** Signs session cookies; rotate it to end every session. */
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters'),
  /** Bearer token that reads `/metrics` (Prometheus); unset, `/metrics` is not served. */
  METRICS_TOKEN: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(16).optional()),
  /** The worker's Redis, when the deployment has one: `/ready` checks it answers. */
  REDIS_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^rediss?$/ }).optional()),
  /** Keys the digest each audit row carries; the worker needs the same. Optional: derived from SESSION_SECRET. */
  AUDIT_DIGEST_KEY: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(32).optional()),
  /**
   * Signs the links of partners without an account (HMAC). Optional: derived from SESSION_SECRET when
   * absent; set it to rotate one key without ending every session (rotating it voids every issued link).
   */
  PARTNER_LINK_SECRET: z.string().min(32, 'PARTNER_LINK_SECRET must be at least 32 characters').optional(),
  IDENTITY_MATCH_SECRET: z.string().min(32, 'IDENTITY_MATCH_SECRET must be at least 32 characters').optional(),
  /** true behind HTTPS only: a Secure cookie is never sent over plain http://localhost. */
  COOKIE_SECURE: booleanFlag.default(false),
  /** Comma-separated origins allowed to write besides the app's own, e.g. https://parcours.example.fr */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  /** Hops of reverse proxies to trust for the client IP and protocol. */
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type DeskEnv = z.infer<typeof deskEnvSchema>;

/** Parses the environment or explains, one line per variable, what is wrong. */
export function parseDeskEnv(env: NodeJS.ProcessEnv = process.env): DeskEnv {
  const parsed = deskEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Invalid desk environment:\n${lines.join('\n')}`);
}
