import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@parcours/observability';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * One log line per request with its id, method, route, status and agent: ids only. Bodies, cookies and
 * query strings never reach the log (a query string could one day carry something personal). A
 * well-formed incoming `X-Request-Id` is kept so a proxy's id follows the request; it is echoed back.
 *
 * Kept cheap, since it runs on every request: the request is serialized straight to its three fields
 * (the standard serializer would first copy headers, address and port, only for them to be dropped),
 * and the agent is added to the final line rather than through a second child logger per request.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage) => ({ id: req.id, method: req.method, path: pathOf(req.url ?? '') }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    // Read when the response is done: the session is loaded after this middleware.
    customSuccessObject: (req, _res, line: object) => ({ ...line, agentId: agentIdOf(req) }),
    customErrorObject: (req, _res, _error, line: object) => ({ ...line, agentId: agentIdOf(req) }),
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
  });
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function agentIdOf(req: IncomingMessage): string | undefined {
  return (req as { session?: { passport?: { user?: string } } }).session?.passport?.user;
}

/** Exposes the request id where the error handler and use cases look for it. */
export const exposeRequestId: RequestHandler = (req, res, next) => {
  res.locals.requestId = String(req.id);
  next();
};
