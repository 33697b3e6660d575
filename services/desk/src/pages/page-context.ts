import { agents, type Database, memberships, organisations } from '@parcours/db';
import type { EngineClock } from '@parcours/engine';
import type { CsrfSync } from 'csrf-sync';
import { eq, sql } from 'drizzle-orm';
import type { Request, Response } from 'express';
import type { DeskCall } from '../desk-call.ts';
import { type Access, type ActingAgent, type CallerOf, resolveCaller } from '../policy/access-policy.ts';
import type { StaticAssets } from './static-assets.ts';
import type { LayoutModel, ViewEngine } from './view-engine.ts';

export interface PagesDependencies {
  db: Database;
  clock: EngineClock;
  views: ViewEngine;
  assets: Pick<StaticAssets, 'dsfrBase' | 'deskCss'>;
  csrf: CsrfSync;
}

type Flash = NonNullable<LayoutModel['flash']>;

declare module 'express-session' {
  interface SessionData {
    /** One message for the next page after a redirect (post/redirect/get). Never person data. */
    flash?: Flash;
    /** A quick contact waiting for the case it turns into. */
    pendingContactId?: string;
  }
}

export function setFlash(req: Request, flash: Flash): void {
  req.session.flash = flash;
}

/** Who calls a page: the same policy as the API, so a page can never show what the API would refuse. */
export function callerOf<A extends Access>(
  deps: PagesDependencies,
  access: A,
  req: Request,
  res: Response,
): Promise<CallerOf<A>> {
  return resolveCaller(deps.db, access, req, { requestId: requestIdOf(res), at: deps.clock.now() });
}

export function deskCallOf(deps: PagesDependencies, agent: ActingAgent, res: Response): DeskCall {
  return { agent, requestId: requestIdOf(res), clock: deps.clock };
}

export function requestIdOf(res: Response): string {
  return String(res.locals.requestId);
}

/** The header's agent and organisation names: staff data, read from the session's ids. */
async function layoutAgentOf(deps: PagesDependencies, req: Request): Promise<LayoutModel['agent']> {
  const agentId = req.session?.passport?.user;
  if (!agentId) return null;
  const organisationId = req.session.actingOrganisationId ?? null;
  // One query: the agent's name, the acting organisation's, and how many organisations they belong to.
  const [row] = await deps.db
    .select({
      displayName: agents.displayName,
      organisationName: sql<
        string | null
      >`(select ${organisations.name} from ${organisations} where ${organisations.id} = ${organisationId})`,
      memberships: sql<number>`(select count(*)::int from ${memberships} where ${memberships.agentId} = ${agents.id})`,
      // The navigation shows what the roles in the acting organisation allow.
      roles: sql<
        string[] | null
      >`(select ${memberships.roles} from ${memberships} where ${memberships.agentId} = ${agents.id} and ${memberships.organisationId} = ${organisationId})`,
    })
    .from(agents)
    .where(eq(agents.id, agentId));
  if (!row) return null;
  return {
    displayName: row.displayName,
    organisationName: row.organisationName,
    canChangeOrganisation: row.memberships > 1,
    isPartner: (row.roles ?? []).includes('partner'),
    // Same roles as the `case.list` and `person.search` permissions of the policy.
    seesCases: (row.roles ?? []).some((role) => role === 'reception' || role === 'referent' || role === 'supervisor'),
    receivesPeople: (row.roles ?? []).some((role) => role === 'reception' || role === 'referent'),
    readsAudit: (row.roles ?? []).some((role) => role === 'auditor' || role === 'supervisor'),
  };
}

export interface RenderOptions {
  status?: number;
  nav?: LayoutModel['nav'];
}

/**
 * Renders a page for the agent. Pages hold person data: never cached, never framed. The flash message
 * is shown once.
 */
export async function renderPage(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  page: string,
  model: { title: string; [key: string]: unknown },
  options: RenderOptions = {},
): Promise<void> {
  const flash = req.session?.flash ?? null;
  if (flash) delete req.session.flash;
  const layout: LayoutModel = {
    assets: deps.assets,
    csrfToken: deps.csrf.generateToken(req),
    agent: await layoutAgentOf(deps, req),
    nav: options.nav ?? null,
    flash,
  };
  const html = deps.views.render(page, { ...model, layout });
  res
    .status(options.status ?? 200)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(html);
}
