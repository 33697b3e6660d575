import { configureAuditDigestKey, type Database, derivedAuditDigestKey } from '@parcours/db';
import { type EngineClock, systemClock } from '@parcours/engine';
import type { Logger } from '@parcours/observability';
import { csrfSync } from 'csrf-sync';
import express, { type Express, type RequestHandler } from 'express';
import session from 'express-session';
import { assessmentRoutes } from './api/assessments.routes.ts';
import { auditRoutes } from './api/audit.routes.ts';
import { authRoutes } from './api/auth.routes.ts';
import { getCaseRoute, getCaseTimelineRoute, listCasesRoute, openCaseRoute, sendCaseEventRoute } from './api/cases.routes.ts';
import { consentRoutes } from './api/consents.routes.ts';
import { directoryRoutes } from './api/directory.routes.ts';
import { healthRoute, metricsRoute, readyRoute } from './api/health.routes.ts';
import { openApiRoute } from './api/openapi.routes.ts';
import { orientationRoutes } from './api/orientation.routes.ts';
import { partnerLinkRoutes } from './api/partner-links.routes.ts';
import { createPersonRoute, linkKnownPersonRoute, searchPersonsRoute } from './api/persons.routes.ts';
import { referralRoutes } from './api/referrals.routes.ts';
import { supervisionRoutes } from './api/supervision.routes.ts';
import { LoginThrottle, type LoginThrottlePolicy } from './features/auth/login-throttle.ts';
import { DirectoryCache } from './features/directory/directory-cache.ts';
import { partnerLinkSecretOf } from './features/partner-links/partner-link-token.ts';
import { identityMatchSecretOf } from './features/persons/person-match.ts';
import { DatabaseSessionStore, sessionCookieName } from './http/database-session.store.ts';
import { createPassport } from './http/log-in.ts';
import { createDeskMetrics } from './http/metrics.ts';
import { notFoundHandler, problemHandler } from './http/problem.ts';
import { exposeRequestId, requestLogging } from './http/request-logging.ts';
import { type AnyRoute, mountRoutes } from './http/route.ts';
import { rejectForeignOrigins, requireJsonBody } from './http/same-origin.ts';
import { contentSecurityPolicy, createDeskAssets, createPages } from './pages/pages.router.ts';

export interface AppDependencies {
  db: Database;
  logger: Logger;
  /** Signs the session cookie. At least 32 characters. */
  sessionSecret: string;
  clock?: EngineClock;
  /** Secure cookies: only behind HTTPS, or login would not work on http://localhost. */
  cookieSecure?: boolean;
  /** Origins besides the app's own allowed to write (e.g. the public URL behind a proxy). */
  allowedOrigins?: readonly string[];
  /** Express `trust proxy`, so protocol and client IP are read from the proxy's headers. */
  trustProxy?: boolean | number | string;
  /** How failed logins back off (allowances per account and per address, longest wait). */
  loginThrottlePolicy?: LoginThrottlePolicy;
  /** Signs partner links (HMAC). At least 32 characters; derived from `sessionSecret` when absent. */
  partnerLinkSecret?: string;
  /**
   * Keys the digest every audit row carries (`auditRowDigestOf`), for the whole process; derived from
   * `sessionSecret` when absent. At least 32 characters; never stored in the database.
   */
  auditDigestKey?: string;
  /** Serves `/metrics` to whoever presents this bearer token; absent, `/metrics` is not served. */
  metricsToken?: string | null;
  /** The deployment's Redis (the worker's queues), when it has one: `/ready` checks it answers. */
  redisUrl?: string | null;
  /** Keys the identity digests persons are matched by across structures. At least 32 characters; derived from `sessionSecret` when absent. */
  identityMatchSecret?: string;
}

const workingDayMs = 10 * 60 * 60 * 1000;

/**
 * The desk: an Express app that never listens, so tests drive it with supertest and the embedded
 * launcher mounts it beside the worker. Middleware order matters and reads top to bottom: identify
 * the request, refuse foreign writes, parse, load the session, protect forms, route, answer errors.
 */
export function createApp(deps: AppDependencies): Express {
  const clock = deps.clock ?? systemClock;
  configureAuditDigestKey(deps.auditDigestKey ?? derivedAuditDigestKey(deps.sessionSecret));
  const app = express();
  app.disable('x-powered-by');
  // ETags are the case revision, set by the routes themselves; Express's body hashes would mislead.
  app.set('etag', false);
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);

  const metrics = createDeskMetrics(deps.db);
  app.use(requestLogging(deps.logger), exposeRequestId, securityHeaders, metrics.observeRequests);
  // DSFR and the desk's stylesheet: before the session, which they never need.
  const assets = createDeskAssets();
  app.use(assets.router);
  // Everything past the static files may carry person data (a page, an API answer, an export): no cache on
  // the way nor in the browser keeps a copy. Routes that can be cached say so themselves.
  app.use(noStore);

  // The session is loaded before anything may refuse a request, so that a refusal on a page is drawn as the
  // agent's own page (header, organisation). Bodies are not read here: each route reads its own once its
  // caller is resolved and allowed (`readBody`), so anonymous or refused requests cost no parsing.
  app.use(
    session({
      name: sessionCookieName,
      secret: deps.sessionSecret,
      store: new DatabaseSessionStore(deps.db),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: deps.cookieSecure ?? false, maxAge: workingDayMs },
    }),
  );
  const passport = createPassport(deps.db);
  app.use(passport.initialize());
  app.use(rejectForeignOrigins(deps.allowedOrigins ?? []));
  app.use('/api', requireJsonBody);

  // Forms (the HTML pages) carry a synchronizer token kept in the session, checked by each page once its form
  // is read (`mountPages`); the JSON API relies on the Origin check and on accepting JSON only, which a
  // cross-site form cannot send.
  const csrf = csrfSync({
    getTokenFromRequest: (req) => req.get('x-csrf-token') ?? (req.body as { _csrf?: string } | undefined)?._csrf,
  });

  // Failed logins back off per account and per client address, in PostgreSQL: shared by every desk process.
  const loginThrottle = new LoginThrottle(deps.db, deps.sessionSecret, clock, deps.loginThrottlePolicy);

  const routes: AnyRoute[] = [
    healthRoute,
    readyRoute,
    metricsRoute,
    ...authRoutes({ passport, loginThrottle, csrf }),
    createPersonRoute,
    searchPersonsRoute,
    linkKnownPersonRoute,
    openCaseRoute,
    listCasesRoute,
    getCaseRoute,
    sendCaseEventRoute,
    getCaseTimelineRoute,
    ...assessmentRoutes,
    ...orientationRoutes,
    ...directoryRoutes,
    ...auditRoutes,
  ];
  routes.push(...consentRoutes, ...referralRoutes, ...partnerLinkRoutes, ...supervisionRoutes);
  routes.push(openApiRoute(() => routes));
  // One index per territory for the whole app: the API and the pages must rank from the same directory.
  const directory = new DirectoryCache(deps.db);
  const partnerLinkSecret = partnerLinkSecretOf(deps.partnerLinkSecret, deps.sessionSecret);
  const identityMatchSecret = identityMatchSecretOf(deps.identityMatchSecret, deps.sessionSecret);
  mountRoutes(app, routes, {
    db: deps.db,
    clock,
    directory,
    partnerLinkSecret,
    identityMatchSecret,
    redisUrl: deps.redisUrl ?? null,
    metrics,
    metricsToken: deps.metricsToken ?? null,
  });

  // The agents' pages (handlebars + DSFR), outside /api; their errors are pages, the API's problems.
  const pages = createPages({
    db: deps.db,
    clock,
    csrf,
    passport,
    loginThrottle,
    assets,
    directory,
    partnerLinkSecret,
    identityMatchSecret,
  });
  app.use(pages.router);

  app.use(notFoundHandler);
  app.use(pages.errorHandler);
  app.use(problemHandler);
  return app;
}

const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Content-Security-Policy': contentSecurityPolicy,
  });
  next();
};
