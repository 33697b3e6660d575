import { z } from 'zod';

/** The launcher's environment: everything optional, so that `npm start` needs nothing. */
export const embeddedEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  /** Bearer token that reads the desk's `/metrics`; unset, not served. */
  METRICS_TOKEN: z.string().min(16).optional(),
  PARCOURS_DATA_DIR: z.string().default('.data'),
  SESSION_SECRET: z.string().min(32).optional(),
  /** Signs partner links; derived from the session secret when absent. */
  PARTNER_LINK_SECRET: z.string().min(32).optional(),
  IDENTITY_MATCH_SECRET: z.string().min(32).optional(),
  PUBLIC_URL: z.string().url().optional(),
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  SMTP_URL: z.string().url().optional(),
  MAIL_CAPTURE_DIR: z.string().optional(),
  MAIL_FROM: z.string().default('Parcours <ne-pas-repondre@parcours.localhost>'),
  /** Cases of fictional history the demo territory gets on its first start (0: none), for supervision's pages. */
  PARCOURS_DEMO_HISTORY_CASES: z.coerce.number().int().min(0).max(20_000).default(300),
});
export type EmbeddedEnv = z.infer<typeof embeddedEnvSchema>;

export function parseEmbeddedEnv(env: NodeJS.ProcessEnv): EmbeddedEnv {
  // `DATABASE_URL=` (set but empty) means unset, as shells and .env files commonly write it.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = embeddedEnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Configuration invalide : ${problems}`);
  }
  return parsed.data;
}
