import { randomUUID } from 'node:crypto';
import type { Logger } from '@parcours/observability';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * One log line per request with its id, method, route and status: ids only. Bodies, cookies and
 * query strings never reach the log (a query string could one day carry something personal). A
 * well-formed incoming `X-Request-Id` is kept so a proxy's id follows the request; it is echoed back.
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
    customProps: (req) => ({ agentId: (req as { session?: { agentId?: string } }).session?.agentId }),
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
  });
}

/** Exposes the request id where the error handler and use cases look for it. */
export const exposeRequestId: RequestHandler = (req, res, next) => {
  res.locals.requestId = String(req.id);
  next();
};
