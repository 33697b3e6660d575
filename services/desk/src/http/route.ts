import type { Database } from '@parcours/db';
import type { EngineClock } from '@parcours/engine';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { DirectoryCache } from '../features/directory/directory-cache.ts';
import type { Access, CallerOf } from '../policy/access-policy.ts';
import type { CallOf } from './desk-call.ts';
import type { DeskMetrics } from './metrics.ts';
import { defaultBodyLimit, readBody, runMiddleware } from './request-body.ts';
import { resolveCall } from './resolve-caller.ts';
import { parseInput } from './validate.ts';

/** What every handler may use besides its validated input. */
export interface RouteDependencies {
  db: Database;
  clock: EngineClock;
  /** The directory index per territory, built once, invalidated on import. */
  directory: DirectoryCache;
  /** Signs partner links (HMAC-SHA256). */
  partnerLinkSecret: string;
  /** Keys the identity digests persons are matched by across structures. */
  identityMatchSecret: string;
  /** The deployment's Redis, when it has one: checked by `/ready`. */
  redisUrl: string | null;
  /** Prometheus metrics, and the bearer token that reads them (none: `/metrics` is not served). */
  metrics: DeskMetrics;
  metricsToken: string | null;
}

export interface HandlerInput<A extends Access, P, Q, B> {
  caller: CallerOf<A>;
  /** The use cases' call (agent, request id, clock), built once for the request; null unless acting. */
  call: CallOf<A>;
  params: P;
  query: Q;
  body: B;
  requestId: string;
  /** For the few routes that must touch the HTTP exchange itself (login, logout, ETag). */
  req: Request;
  res: Response;
  deps: RouteDependencies;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** A printable HTML document instead of JSON (the consent notice). */
  html?: string;
  /** A CSV file instead of JSON (supervision's exports). */
  csv?: string;
  /** Plain text with its content type (the Prometheus exposition format). */
  text?: { body: string; contentType: string };
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** The response is a CSV file rather than JSON. */
  csv?: boolean;
  headers?: Record<string, { description: string }>;
}

type AnyObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * A route is its operation: the same object mounts the handler and writes the OpenAPI entry, so the
 * document cannot miss a route nor describe one that does not exist.
 */
export interface RouteSpec<
  A extends Access = Access,
  P extends AnyObjectSchema | undefined = AnyObjectSchema | undefined,
  Q extends AnyObjectSchema | undefined = AnyObjectSchema | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  operationId: string;
  method: 'get' | 'post';
  /** OpenAPI path template, e.g. `/api/v1/cases/{caseId}`. */
  path: string;
  summary: string;
  tags: string[];
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseSpec>;
  /** Problems the route answers besides the ones its access, ids and body imply (409s), for the document. */
  problems?: Record<number, string>;
  /** Largest body the route reads (default `defaultBodyLimit`), e.g. `25mb` for a whole directory. */
  bodyLimit?: string;
  /** Run after the body is read and before validation (the login rate limit). */
  before?: RequestHandler[];
  handle(input: HandlerInput<A, Output<P>, Output<Q>, Output<B>>): Promise<Reply>;
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

// The registry holds routes of every shape; `defineRoute` keeps each one precisely typed.
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous list of precisely typed routes
export type AnyRoute = RouteSpec<any, any, any, any>;

export function defineRoute<
  A extends Access,
  P extends AnyObjectSchema | undefined = undefined,
  Q extends AnyObjectSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<A, P, Q, B>): RouteSpec<A, P, Q, B> {
  return spec;
}

export function expressPathOf(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Mounts each route: policy first (who calls), then the body is read (only for a route that takes one, within
 * its limit), then validation, then the handler; errors go to the problem handler.
 */
export function mountRoutes(app: Express, routes: readonly AnyRoute[], deps: RouteDependencies): void {
  for (const route of routes) {
    const handler: RequestHandler = async (req, res) => {
      const requestId = String(res.locals.requestId);
      const { caller, call } = await resolveCall(deps.db, route.access, req, requestId, deps.clock);
      if (route.body) await readBody(req, res, ['json'], route.bodyLimit ?? defaultBodyLimit);
      for (const step of route.before ?? []) await runMiddleware(step, req, res);
      const params = route.params ? parseInput(route.params, req.params, 'path') : undefined;
      const query = route.query ? parseInput(route.query, req.query, 'query') : undefined;
      const body = route.body ? parseInput(route.body, req.body, 'body') : undefined;
      const reply = await route.handle({ caller, call, params, query, body, requestId, req, res, deps });
      if (reply.headers) res.set(reply.headers);
      if (reply.html !== undefined) res.status(reply.status).type('html').send(reply.html);
      else if (reply.csv !== undefined) res.status(reply.status).type('text/csv; charset=utf-8').send(reply.csv);
      else if (reply.text !== undefined) res.status(reply.status).type(reply.text.contentType).send(reply.text.body);
      else if (reply.body === undefined) res.status(reply.status).end();
      else res.status(reply.status).json(reply.body);
    };
    app[route.method](expressPathOf(route.path), handler);
  }
}
