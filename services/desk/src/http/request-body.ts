import express, { type Request, type RequestHandler, type Response } from 'express';
import { multipartForm } from './multipart-form.ts';

/**
 * Bodies are read by the route that takes them, after its caller is resolved and its permission checked:
 * an anonymous request, or one the policy refuses, costs the server no parsing and no memory. Each route
 * has the small default limit unless it declares a larger one (the directory import).
 */
export const defaultBodyLimit = '100kb';

/** A form has at most this many fields: a larger one is refused (413) before anything is built from it. */
export const formFieldLimit = 1000;

export type BodyKind = 'json' | 'form' | 'multipart';

const parsers = new Map<string, RequestHandler>();

function parserOf(kind: BodyKind, limit: string): RequestHandler {
  const key = `${kind}:${limit}`;
  let parser = parsers.get(key);
  if (!parser) {
    parser =
      kind === 'json'
        ? express.json({ limit })
        : kind === 'form'
          ? express.urlencoded({ extended: false, limit, parameterLimit: formFieldLimit })
          : multipartForm(bytesOf(limit));
    parsers.set(key, parser);
  }
  return parser;
}

/** `25mb` → bytes, as body-parser reads its limits. */
function bytesOf(limit: string): number {
  const match = /^(\d+)(kb|mb)$/.exec(limit);
  if (!match) throw new Error(`body limit « ${limit} » must read like 100kb or 25mb`);
  return Number(match[1]) * (match[2] === 'kb' ? 1024 : 1024 * 1024);
}

/** Runs Express middleware as a step of a handler: resolves when it calls `next()`, rejects with its error. */
export function runMiddleware(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: unknown) => (error ? reject(error) : resolve());
    Promise.resolve(middleware(req, res, done)).catch(reject);
  });
}

/** Reads the request's body of the given kind, within `limit`; a form may also come as multipart when the route says so. */
export async function readBody(req: Request, res: Response, kinds: readonly BodyKind[], limit: string): Promise<void> {
  for (const kind of kinds) await runMiddleware(parserOf(kind, limit), req, res);
  if (req.body === undefined) req.body = {};
}
