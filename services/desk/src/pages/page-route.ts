import type { Request, RequestHandler, Response, Router } from 'express';
import type { CallOf } from '../http/desk-call.ts';
import { resolveCall } from '../http/resolve-caller.ts';
import type { Access, CallerOf } from '../policy/access-policy.ts';
import { type PagesDependencies, requestIdOf } from './page-context.ts';

/** What a page handler receives: the exchange, the app's dependencies, and who calls, resolved once. */
export interface PageExchange<A extends Access> {
  req: Request;
  res: Response;
  deps: PagesDependencies;
  caller: CallerOf<A>;
  /** The use cases' call (agent, request id, clock), built once for the request; null unless acting. */
  call: CallOf<A>;
}

/**
 * One page route: its method, path, who may call it (the same `Access` as the API's routes, decided by
 * the same policy) and one handler. The handler parses the form, calls use cases and renders.
 */
export interface PageRoute<A extends Access = Access> {
  method: 'get' | 'post';
  path: string;
  access: A;
  /** Run before the caller is resolved (the login rate limit). */
  before?: (deps: PagesDependencies) => RequestHandler[];
  handle(exchange: PageExchange<A>): Promise<unknown>;
}

// The router holds pages of every access; `definePage` keeps each one precisely typed.
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous list of precisely typed page routes
export type AnyPageRoute = PageRoute<any>;

export function definePage<A extends Access>(route: PageRoute<A>): PageRoute<A> {
  return route;
}

/** Mounts each page: the caller first (401, 403 and the acting organisation decided by the policy), then the handler. */
export function mountPages(router: Router, routes: readonly AnyPageRoute[], deps: PagesDependencies): void {
  for (const route of routes) {
    const handler: RequestHandler = async (req, res) => {
      const { caller, call } = await resolveCall(deps.db, route.access, req, requestIdOf(res), deps.clock);
      await route.handle({ req, res, deps, caller, call });
    };
    router[route.method](route.path, ...(route.before?.(deps) ?? []), handler);
  }
}
