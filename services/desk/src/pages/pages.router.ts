import { fileURLToPath } from 'node:url';
import type { Database } from '@parcours/db';
import type { EngineClock } from '@parcours/engine';
import type { CsrfSync } from 'csrf-sync';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import type { LoginThrottle } from '../features/auth/login-throttle.ts';
import type { DirectoryCache } from '../features/directory/directory-cache.ts';
import type { AppError } from '../http/app-error.ts';
import { sessionCookieName } from '../http/database-session.store.ts';
import type { Authenticator } from '../http/log-in.ts';
import { knownAppErrorOf } from '../http/problem.ts';
import { assessmentPages } from './assessment.pages.ts';
import { auditPages } from './audit.pages.ts';
import { authPages } from './auth.pages.ts';
import { caseReferralsPages } from './case-referrals.pages.ts';
import { casesPages } from './cases.pages.ts';
import { consentsPages } from './consents.pages.ts';
import { contactsPages } from './contacts.pages.ts';
import { directoryPages } from './directory.pages.ts';
import { operationsPages } from './operations.pages.ts';
import { orientationPages } from './orientation.pages.ts';
import { type PagesDependencies, renderPage, requestIdOf } from './page-context.ts';
import { mountPages } from './page-route.ts';
import { partnerPages } from './partner.pages.ts';
import { partnerLinkPages } from './partner-link.pages.ts';
import { personsPages } from './persons.pages.ts';
import { saveSessionBeforeRedirect } from './redirect-after-save.ts';
import { createStaticAssets, type StaticAssets } from './static-assets.ts';
import { supervisionPages } from './supervision.pages.ts';
import { createViewEngine, type ViewEngine } from './view-engine.ts';
import { workPages } from './work.pages.ts';

const viewsDir = fileURLToPath(new URL('../../views', import.meta.url));
const staticDir = fileURLToPath(new URL('../../static', import.meta.url));

/** DSFR and the desk's stylesheet. */
export function createDeskAssets(): StaticAssets {
  return createStaticAssets(staticDir);
}

/**
 * The content-security policy of every response: only the app's own scripts, styles, fonts and
 * images; no inline script or style (DSFR's module and nomodule scripts are files), no framing, forms
 * posted only to the app.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface Pages {
  router: Router;
  /** Renders errors of page requests as pages (redirect to login, 404 page…); API errors go on. */
  errorHandler: ErrorRequestHandler;
}

export interface PagesOptions {
  db: Database;
  clock: EngineClock;
  csrf: CsrfSync;
  passport: Authenticator;
  loginThrottle: LoginThrottle;
  /** Mounted apart, before the session, so that a stylesheet never loads one. */
  assets: StaticAssets;
  /** The app's one directory index: pages and API rank and search the same directory. */
  directory: DirectoryCache;
  /** Signs and checks partner links (the same key as the API's). */
  partnerLinkSecret: string;
  identityMatchSecret: string;
}

/** A request for a page, not for the JSON API, the health probe or a static file. */
export function isPageRequest(req: Request): boolean {
  return (
    !req.path.startsWith('/api/') &&
    req.path !== '/health' &&
    req.path !== '/ready' &&
    req.path !== '/metrics' &&
    !req.path.startsWith('/static/')
  );
}

/** The server-rendered pages of the desk (handlebars + DSFR), working without JavaScript. */
export function createPages(options: PagesOptions, views: ViewEngine = createViewEngine(viewsDir)): Pages {
  const deps: PagesDependencies = {
    db: options.db,
    clock: options.clock,
    views,
    assets: options.assets,
    csrf: options.csrf,
    passport: options.passport,
    loginThrottle: options.loginThrottle,
    directory: options.directory,
    partnerLinkSecret: options.partnerLinkSecret,
    identityMatchSecret: options.identityMatchSecret,
  };
  const router = express.Router();
  router.use(saveSessionBeforeRedirect);
  mountPages(
    router,
    [
      ...authPages,
      ...workPages,
      ...personsPages,
      ...casesPages,
      ...contactsPages,
      ...assessmentPages,
      ...orientationPages,
      ...supervisionPages,
      ...directoryPages,
      ...consentsPages,
      ...caseReferralsPages,
      ...partnerPages,
      ...partnerLinkPages,
      ...auditPages,
      ...operationsPages,
    ],
    deps,
  );
  return { router, errorHandler: pageErrorHandler(deps) };
}

/**
 * A session cookie came with the request but named no live session: it expired (or was ended
 * elsewhere). A live anonymous session (the login page's) holds its CSRF token; a session the store
 * did not find is brand new and holds nothing.
 */
function sessionExpired(req: Request): boolean {
  const sent = req.headers.cookie?.split(';').some((cookie) => cookie.trim().startsWith(`${sessionCookieName}=`)) ?? false;
  return sent && !req.session?.passport?.user && !req.session?.csrfToken;
}

const errorPages: Partial<Record<AppError['code'], { heading: string }>> = {
  not_found: { heading: 'Page introuvable' },
  forbidden: { heading: 'Accès refusé' },
  origin_not_allowed: { heading: 'Requête refusée' },
  csrf_token_invalid: { heading: 'Le formulaire a expiré' },
  validation_failed: { heading: 'Formulaire incomplet' },
  too_many_requests: { heading: 'Trop de tentatives' },
  payload_too_large: { heading: 'Envoi trop volumineux' },
  malformed_address: { heading: 'Adresse illisible' },
  malformed_json: { heading: 'Envoi illisible' },
  unsupported_media_type: { heading: 'Envoi illisible' },
};

function pageErrorHandler(deps: PagesDependencies): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent || !isPageRequest(req)) return next(error);
    const known = knownAppErrorOf(error);
    if (known?.code === 'unauthenticated' || (known?.code === 'csrf_token_invalid' && sessionExpired(req))) {
      res.redirect(303, sessionExpired(req) ? '/connexion?motif=session-expiree' : '/connexion');
      return;
    }
    if (known?.code === 'acting_organisation_required') {
      res.redirect(303, '/structure');
      return;
    }
    const page = known ? errorPages[known.code] : undefined;
    if (!known || !page) {
      if (!known) req.log.error({ err: error }, 'unhandled error');
      renderError(
        deps,
        req,
        res,
        500,
        'Erreur inattendue',
        'Une erreur inattendue est survenue. Communiquez l’identifiant de requête au support.',
      ).catch(next);
      return;
    }
    if (known.details.retryAfterSeconds !== undefined) res.set('Retry-After', String(known.details.retryAfterSeconds));
    renderError(deps, req, res, known.status, page.heading, known.message).catch(next);
  };
}

async function renderError(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  status: number,
  heading: string,
  message: string,
): Promise<void> {
  await renderPage(
    deps,
    req,
    res,
    'error',
    { title: heading, heading, message, status, requestId: requestIdOf(res) },
    { status },
  );
}
