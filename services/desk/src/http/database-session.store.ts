import { createHash } from 'node:crypto';
import { agents, type Database, memberships, organisations, sessions } from '@parcours/db';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { Request } from 'express';
import session from 'express-session';

/** The session cookie's name, the same for the API and the pages. */
export const sessionCookieName = 'parcours.sid';

/** Without a cookie expiry (should not happen: the app always sets maxAge), a session lasts this long. */
const fallbackLifetimeMs = 8 * 60 * 60 * 1000;

/**
 * The acting membership of a session as it stands in the database, read in the session's own statement.
 * Facts only: the policy (`resolveCaller`) decides with them. It lives as long as the request.
 */
export interface SessionMembership {
  /** The agent and acting organisation these facts were read for (the session row's columns). */
  agentId: string | null;
  organisationId: string | null;
  /** Null when the agent is no member of the organisation. */
  roles: string[] | null;
  territoryId: string | null;
  /** False when the agent was deactivated (or no longer exists). */
  agentActive: boolean;
}

/** Between `get` (which has only the id) and `createSession` (which has the request): keyed by the data read. */
const membershipOfData = new WeakMap<object, SessionMembership>();
const membershipOfRequest = new WeakMap<Request, SessionMembership>();

/**
 * The membership read with this request's session, if the store loaded one. Never carried from one
 * request to the next: each request reads its session, and the membership with it, again.
 */
export function membershipLoadedWith(req: Request): SessionMembership | undefined {
  return membershipOfRequest.get(req);
}

/**
 * express-session's store over the `sessions` table. The row id is a SHA-256 of the session id, so a
 * copy of the table does not hand out live sessions. The agent and the acting organisation are also
 * kept in their own columns, so an administrator can end every session of an agent with one delete, and
 * so that reading a session also reads the acting membership in the same statement (one round trip for
 * the session and the caller's roles).
 *
 * There is no `touch`: a session lives for the cookie's lifetime from its last change, which keeps
 * reads at one query per request and bounds a session to a working day.
 */
export class DatabaseSessionStore extends session.Store {
  private readonly readSession;

  constructor(private readonly db: Database) {
    super();
    // Prepared once: the statement every authenticated request runs is not rebuilt per request.
    this.readSession = db
      .select({
        data: sessions.data,
        agentId: sessions.agentId,
        organisationId: sessions.actingOrganisationId,
        roles: memberships.roles,
        territoryId: organisations.territoryId,
        agentActive: agents.active,
      })
      .from(sessions)
      .leftJoin(agents, eq(agents.id, sessions.agentId))
      .leftJoin(
        memberships,
        and(eq(memberships.agentId, sessions.agentId), eq(memberships.organisationId, sessions.actingOrganisationId)),
      )
      .leftJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(
        and(
          eq(sessions.id, sql.placeholder('id')),
          gt(sessions.expiresAt, sql.param(sql.placeholder('now'), sessions.expiresAt)),
        ),
      )
      .prepare('desk_read_session');
  }

  override get(sid: string, callback: (error: unknown, data?: session.SessionData | null) => void): void {
    this.readSession.execute({ id: rowIdOf(sid), now: new Date() }).then(([row]) => {
      if (!row) return callback(null, null);
      const data = row.data as session.SessionData;
      membershipOfData.set(data, {
        agentId: row.agentId,
        organisationId: row.organisationId,
        roles: row.roles,
        territoryId: row.territoryId,
        agentActive: row.agentActive === true,
      });
      callback(null, data);
    }, callback);
  }

  /** express-session turns what `get` read into `req.session` here: the membership read with it follows. */
  override createSession(req: Request, data: session.SessionData): session.Session & session.SessionData {
    const membership = membershipOfData.get(data);
    if (membership) membershipOfRequest.set(req, membership);
    else membershipOfRequest.delete(req);
    return super.createSession(req, data);
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
