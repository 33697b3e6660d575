import type { RequestHandler } from 'express';
import { AppError } from './app-error.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser always sends `Origin` on a cross-site write; a non-browser client (a partner's system, a
 * script) sends none. So a write is accepted when Origin is absent, is the app's own origin, or is one
 * of the configured origins; anything else is another site riding the agent's cookie.
 */
export function rejectForeignOrigins(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, '')));
  return (req, _res, next) => {
    if (safeMethods.has(req.method)) return next();
    const origin = req.get('origin');
    if (origin === undefined || allowed.has(origin) || origin === `${req.protocol}://${req.get('host')}`) return next();
    next(new AppError('origin_not_allowed', 'Cette requête provient d’un autre site et a été refusée.'));
  };
}

/**
 * The JSON API reads JSON only. Refusing other media types on writes also closes the door to HTML
 * forms posted from elsewhere (they cannot send `application/json` without a CORS preflight).
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (safeMethods.has(req.method) || (!req.headers['content-type'] && !hasBody(req.headers))) return next();
  if (req.is('application/json')) return next();
  next(new AppError('unsupported_media_type', 'Le corps de la requête doit être au format JSON (application/json).'));
};

function hasBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  return (
    (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined
  );
}
