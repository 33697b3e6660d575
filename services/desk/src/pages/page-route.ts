import { textFaultsIn } from '@parcours/vocabulary';
import type { Request, RequestHandler, Response, Router } from 'express';
import { AppError } from '../http/app-error.ts';
import type { CallOf } from '../http/desk-call.ts';
import { type BodyKind, defaultBodyLimit, readBody, runMiddleware } from '../http/request-body.ts';
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
  /** A form sent as a file upload (`multipart/form-data`) and its largest size; else a plain form within the default limit. */
  upload?: { limit: string };
  /** Run once the form is read and its CSRF token checked, before the handler (the login rate limit). */
  before?: (deps: PagesDependencies) => RequestHandler[];
  handle(exchange: PageExchange<A>): Promise<unknown>;
}

// The router holds pages of every access; `definePage` keeps each one precisely typed.
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous list of precisely typed page routes
export type AnyPageRoute = PageRoute<any>;

export function definePage<A extends Access>(route: PageRoute<A>): PageRoute<A> {
  return route;
}

/**
 * Mounts each page: the caller first (401, 403 and the acting organisation decided by the policy), then, for a
 * form, its body (read only now, within its limit), the text rule and the CSRF token, then the handler.
 */
export function mountPages(router: Router, routes: readonly AnyPageRoute[], deps: PagesDependencies): void {
  for (const route of routes) {
    const before = route.before?.(deps) ?? [];
    const handler: RequestHandler = async (req, res) => {
      const { caller, call } = await resolveCall(deps.db, route.access, req, requestIdOf(res), deps.clock);
      refuseFaultyFormText([req.params, req.query]);
      if (route.method === 'post') {
        const kinds: BodyKind[] = route.upload ? ['multipart', 'form'] : ['form'];
        await readBody(req, res, kinds, route.upload?.limit ?? defaultBodyLimit);
        refuseFaultyFormText(req.body);
        await runMiddleware(csrfCheckOf(deps), req, res);
      }
      for (const step of before) await runMiddleware(step, req, res);
      await route.handle({ req, res, deps, caller, call });
    };
    router[route.method](route.path, handler);
  }
}

/** The text rule on a form: a page cannot name the field to the person, so it says what to retype. */
function refuseFaultyFormText(body: unknown): void {
  if (textFaultsIn(body, 1).length === 0) return;
  throw new AppError(
    'validation_failed',
    'Un champ du formulaire contient un caractère invisible ou mal formé (copié-collé d’un autre logiciel ?). Revenez en arrière et retapez le texte.',
  );
}

const csrfChecks = new WeakMap<PagesDependencies, RequestHandler>();

/** The synchronizer-token check of forms, answering in the pages' own error (« le formulaire a expiré »). */
function csrfCheckOf(deps: PagesDependencies): RequestHandler {
  let check = csrfChecks.get(deps);
  if (!check) {
    check = (req, res, next) =>
      deps.csrf.csrfSynchronisedProtection(req, res, (error?: unknown) =>
        next(error ? new AppError('csrf_token_invalid', 'Le formulaire a expiré. Rechargez la page et recommencez.') : undefined),
      );
    csrfChecks.set(deps, check);
  }
  return check;
}
