import type { Database } from '@parcours/db';
import type { EngineClock } from '@parcours/engine';
import type { CsrfSync } from 'csrf-sync';
import type { Request, Response } from 'express';
import { getDeskHeader } from '../features/agents/get-desk-header.ts';
import type { LoginThrottle } from '../features/auth/login-throttle.ts';
import type { DirectoryCache } from '../features/directory/directory-cache.ts';
import { countWaitingReferrals } from '../features/referrals/count-waiting-referrals.ts';
import type { Authenticator } from '../http/log-in.ts';
import type { StaticAssets } from './static-assets.ts';
import type { LayoutModel, ViewEngine } from './view-engine.ts';

export interface PagesDependencies {
  db: Database;
  clock: EngineClock;
  views: ViewEngine;
  assets: Pick<StaticAssets, 'dsfrBase' | 'deskCss' | 'partnerLinkJs' | 'dsfrChartBase' | 'supervisionJs' | 'directoryImportJs'>;
  csrf: CsrfSync;
  passport: Authenticator;
  loginThrottle: LoginThrottle;
  /** The app's one directory index: pages and API rank and search the same directory. */
  directory: DirectoryCache;
  /** Signs and checks partner links (the same key as the API's). */
  partnerLinkSecret: string;
  /** Keys the identity digests persons are matched by across structures. */
  identityMatchSecret: string;
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

export function requestIdOf(res: Response): string {
  return String(res.locals.requestId);
}

/** The header: the agent, the acting organisation, and what the navigation offers to its roles. */
async function layoutAgentOf(deps: PagesDependencies, req: Request): Promise<LayoutModel['agent']> {
  const agentId = req.session?.passport?.user;
  if (!agentId) return null;
  const organisationId = req.session.actingOrganisationId ?? null;
  const header = await getDeskHeader(deps.db, agentId, organisationId);
  if (!header?.receivesReferrals || !organisationId) return header;
  return { ...header, referralsWaiting: await countWaitingReferrals(deps.db, { kind: 'agent', id: agentId, organisationId }) };
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
