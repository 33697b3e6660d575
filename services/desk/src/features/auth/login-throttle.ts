import { createHmac } from 'node:crypto';
import { type Database, type Executor, loginFailures } from '@parcours/db';
import type { EngineClock } from '@parcours/engine';
import { inArray, sql } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';

/**
 * Failed logins slow down whoever makes them, without locking out the person they target:
 *
 * - only failures count: a correct login (even 200 at once) or a refused attempt adds nothing;
 * - per account (a password guessed for one e-mail) and per client address (one password sprayed across
 *   many e-mails), each with its own free allowance;
 * - past the allowance, a short exponential back-off from the last failure (1 s, 2 s, 4 s… up to 10 minutes),
 *   not a lock of fixed length; failures are forgotten a day after the last one, and an account's when it
 *   logs in or an admin unlocks it;
 * - kept in PostgreSQL, so every desk process shares it and a restart forgets nothing. (rate-limiter-flexible's
 *   PostgreSQL store takes `pg`, Knex or an ORM's client, not postgres.js nor PGlite, which the desk runs on.)
 *
 * Keys are keyed digests: neither the e-mail nor the address is stored.
 */
export interface LoginThrottlePolicy {
  /** Failures allowed for one account before the back-off starts. */
  accountAllowance: number;
  /** Failures allowed from one client address (across accounts) before the back-off starts. */
  addressAllowance: number;
  maxBackoffMs: number;
  /** Failures older than this (since the last one) are forgotten. */
  forgetAfterMs: number;
}

export const defaultLoginThrottlePolicy: LoginThrottlePolicy = {
  accountAllowance: 5,
  addressAllowance: 20,
  maxBackoffMs: 10 * 60 * 1000,
  forgetAfterMs: 24 * 60 * 60 * 1000,
};

interface ThrottleKeys {
  account: string;
  address: string;
}

export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly secret: string,
    private readonly clock: EngineClock,
    private readonly policy: LoginThrottlePolicy = defaultLoginThrottlePolicy,
  ) {}

  keysOf(email: string, address: string): ThrottleKeys {
    return {
      account: `account:${this.digest(email.trim().toLowerCase())}`,
      address: `address:${this.digest(address)}`,
    };
  }

  /** The account key of an e-mail: what an admin's unlock forgets. */
  accountKeyOf(email: string): string {
    return this.keysOf(email, '').account;
  }

  /** 429 while either key is backing off, with the seconds left (`Retry-After`). */
  async refuseWhileBackingOff(keys: ThrottleKeys): Promise<void> {
    const rows = await this.db
      .select()
      .from(loginFailures)
      .where(inArray(loginFailures.key, [keys.account, keys.address]));
    const now = this.clock.now().getTime();
    let waitMs = 0;
    for (const row of rows) {
      const allowance = row.key === keys.account ? this.policy.accountAllowance : this.policy.addressAllowance;
      const since = now - row.lastFailureAt.getTime();
      if (since >= this.policy.forgetAfterMs) continue;
      waitMs = Math.max(waitMs, this.backoffMs(row.failures, allowance) - since);
    }
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new AppError('too_many_requests', `Trop de tentatives de connexion. Réessayez dans ${describe(seconds)}.`, {
        retryAfterSeconds: seconds,
      });
    }
  }

  /** One more failure on both keys; a failure after the forgetting delay starts again from one. */
  async recordFailure(keys: ThrottleKeys): Promise<void> {
    const now = this.clock.now();
    const forgottenBefore = new Date(now.getTime() - this.policy.forgetAfterMs);
    await this.db
      .insert(loginFailures)
      .values([keys.account, keys.address].map((key) => ({ key, failures: 1, lastFailureAt: now })))
      .onConflictDoUpdate({
        target: loginFailures.key,
        set: {
          failures: sql`case when ${loginFailures.lastFailureAt} < ${forgottenBefore.toISOString()}::timestamptz then 1
                             else ${loginFailures.failures} + 1 end`,
          lastFailureAt: now,
        },
      });
  }

  /** A successful login (or an admin's unlock) forgets the account's failures; the address's remain. */
  async forgetAccount(accountKey: string, executor: Executor = this.db): Promise<void> {
    await executor.delete(loginFailures).where(inArray(loginFailures.key, [accountKey]));
  }

  private backoffMs(failures: number, allowance: number): number {
    if (failures < allowance) return 0;
    return Math.min(this.policy.maxBackoffMs, 1000 * 2 ** (failures - allowance));
  }

  private digest(value: string): string {
    return createHmac('sha256', this.secret).update(value).digest('base64url');
  }
}

function describe(seconds: number): string {
  if (seconds < 60) return `${seconds} seconde${seconds > 1 ? 's' : ''}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes > 1 ? 's' : ''}`;
}
