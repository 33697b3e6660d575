import { createHash } from 'node:crypto';
import { type Database, sessions } from '@parcours/db';
import { and, eq, gt, lte } from 'drizzle-orm';
import session from 'express-session';

/** Without a cookie expiry (should not happen: the app always sets maxAge), a session lasts this long. */
const fallbackLifetimeMs = 8 * 60 * 60 * 1000;

/**
 * express-session's store over the `sessions` table. The row id is a SHA-256 of the session id, so a
 * copy of the table does not hand out live sessions. The agent and the acting organisation are also
 * kept in their own columns, so an administrator can end every session of an agent with one delete.
 *
 * There is no `touch`: a session lives for the cookie's lifetime from its last change, which keeps
 * reads at one query per request and bounds a session to a working day.
 */
export class DatabaseSessionStore extends session.Store {
  constructor(private readonly db: Database) {
    super();
  }

  override get(sid: string, callback: (error: unknown, data?: session.SessionData | null) => void): void {
    this.db
      .select({ data: sessions.data })
      .from(sessions)
      .where(and(eq(sessions.id, rowIdOf(sid)), gt(sessions.expiresAt, new Date())))
      .then(([row]) => callback(null, row ? (row.data as session.SessionData) : null), callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    const expiresAt = data.cookie.expires ? new Date(data.cookie.expires) : new Date(Date.now() + fallbackLifetimeMs);
    const columns = {
      agentId: data.passport?.user ?? null,
      actingOrganisationId: data.actingOrganisationId ?? null,
      data: JSON.parse(JSON.stringify(data)) as unknown,
      expiresAt,
    };
    this.db
      .insert(sessions)
      .values({ id: rowIdOf(sid), ...columns })
      .onConflictDoUpdate({ target: sessions.id, set: columns })
      .then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.db
      .delete(sessions)
      .where(eq(sessions.id, rowIdOf(sid)))
      .then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
  }

  /** Deletes expired rows; the worker or a cron may call it, reads already ignore them. */
  async pruneExpired(now = new Date()): Promise<number> {
    const deleted = await this.db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id });
    return deleted.length;
  }
}

function rowIdOf(sid: string): string {
  return createHash('sha256').update(sid).digest('base64url');
}

declare module 'express-session' {
  interface SessionData {
    /** Set by passport on login: the agent id. */
    passport?: { user?: string };
    /** The one organisation this session acts for; absent until chosen when the agent has several. */
    actingOrganisationId?: string;
  }
}
