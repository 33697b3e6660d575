import { agents, type Database, memberships, organisations } from '@parcours/db';
import type { EngineClock } from '@parcours/engine';
import type { MembershipRole } from '@parcours/vocabulary';
import { and, eq } from 'drizzle-orm';
import type { Request } from 'express';
import { recordAudit } from '../features/audit/audit-writer.ts';
import { type Access, type ActingAgent, type CallerOf, holdsPermission } from '../policy/access-policy.ts';
import { AppError } from './app-error.ts';
import { membershipLoadedWith, type SessionMembership } from './database-session.store.ts';
import { type CallOf, deskCallOf } from './desk-call.ts';

/**
 * Resolves who calls a route, or refuses: 401 without a session, 403 without an acting organisation
 * (or when the membership was revoked since, or the agent deactivated), 403 when no role holds the
 * permission (audited). The membership is read on every request, so a revoked role stops working at
 * once: in the common case the session store read it with the session, in the same statement.
 */
export async function resolveCaller<A extends Access>(
  db: Database,
  access: A,
  req: Request,
  call: { requestId: string; at: Date },
): Promise<CallerOf<A>> {
  if (access.kind === 'public') return null as CallerOf<A>;
  const agentId = req.session?.passport?.user;
  if (!agentId) throw new AppError('unauthenticated', 'Connectez-vous pour accéder à cette ressource.');
  if (access.kind === 'agent') return { agentId } as CallerOf<A>;

  const organisationId = req.session.actingOrganisationId;
  if (!organisationId) {
    throw new AppError('acting_organisation_required', 'Choisissez la structure pour laquelle vous agissez.');
  }
  const membership = await actingMembershipOf(db, req, agentId, organisationId);
  if (!membership?.roles || !membership.territoryId || !membership.agentActive) {
    throw new AppError('acting_organisation_required', 'Vous n’agissez plus pour cette structure. Choisissez-en une.');
  }
  const agent: ActingAgent = {
    agentId,
    organisationId,
    territoryId: membership.territoryId,
    roles: membership.roles as MembershipRole[],
  };
  if (!holdsPermission(agent.roles, access.permission)) {
    await recordAudit(db, agent, { action: access.permission, subjectKind: 'route', subjectIds: [], outcome: 'denied' }, call);
    throw new AppError('forbidden', 'Votre rôle dans cette structure ne permet pas cette action.');
  }
  return agent as CallerOf<A>;
}

type MembershipFacts = Pick<SessionMembership, 'roles' | 'territoryId' | 'agentActive'>;

/**
 * The facts the session's statement read, when they were read for this agent and organisation; else
 * (a session created or changed during this request: login, organisation chosen) read now.
 */
async function actingMembershipOf(
  db: Database,
  req: Request,
  agentId: string,
  organisationId: string,
): Promise<MembershipFacts | undefined> {
  const loaded = membershipLoadedWith(req);
  if (loaded?.agentId === agentId && loaded.organisationId === organisationId) return loaded;
  const [row] = await db
    .select({ roles: memberships.roles, territoryId: organisations.territoryId, agentActive: agents.active })
    .from(memberships)
    .innerJoin(agents, eq(agents.id, memberships.agentId))
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.agentId, agentId), eq(memberships.organisationId, organisationId)));
  return row;
}

/** The caller of a route and, when it acts for an organisation, its one `DeskCall` for the request. */
export async function resolveCall<A extends Access>(
  db: Database,
  access: A,
  req: Request,
  requestId: string,
  clock: EngineClock,
): Promise<{ caller: CallerOf<A>; call: CallOf<A> }> {
  const caller = await resolveCaller(db, access, req, { requestId, at: clock.now() });
  const call = access.kind === 'acting' ? deskCallOf(caller as ActingAgent, requestId, clock) : null;
  return { caller, call: call as CallOf<A> };
}
