import { EngineError } from '@parcours/engine';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError, problemTypeOf } from './app-error.ts';
import { caseNotFound, referralNotFound } from './not-found.ts';
import { fieldIssuesOf } from './validate.ts';

export const problemContentType = 'application/problem+json';

/** RFC 9457 body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId: string;
  allowedEvents?: string[];
  currentRevision?: number;
  notCovered?: { recipient: boolean; purpose: boolean; categories: string[]; opposition: boolean };
  errors?: Array<{ field: string; message: string }>;
  retryAfterSeconds?: number;
}

export function sendProblem(res: Response, error: AppError): void {
  const problem: Problem = {
    type: problemTypeOf(error.code),
    title: error.title,
    status: error.status,
    detail: error.message,
    requestId: res.locals.requestId as string,
    ...error.details,
  };
  if (error.details.retryAfterSeconds !== undefined) res.set('Retry-After', String(error.details.retryAfterSeconds));
  res.status(error.status).type(problemContentType).send(JSON.stringify(problem));
}

/** The engine refuses in its own vocabulary; the desk answers in HTTP's. */
export function appErrorOfEngine(error: EngineError): AppError {
  switch (error.code) {
    case 'case_not_found':
      return caseNotFound();
    case 'referral_not_found':
      return referralNotFound();
    case 'revision_conflict':
      return new AppError(
        'revision_conflict',
        'Le dossier a été modifié entre-temps par quelqu’un d’autre. Rechargez-le avant de recommencer.',
        { currentRevision: error.details.currentRevision },
      );
    case 'event_not_allowed':
      return new AppError('event_not_allowed', error.message, {
        allowedEvents: error.details.allowedEvents ?? [],
        currentRevision: error.details.currentRevision,
      });
    case 'invalid_event':
    case 'invalid_input':
      return new AppError('validation_failed', error.message, { errors: fieldIssuesOf(error.details.issues) });
  }
}

/** What body-parser and the router throw, by their `type` (or, for an address, the error's class). */
export function appErrorOfRequestParsing(error: object): AppError | null {
  if (error instanceof URIError) {
    return new AppError('malformed_address', 'L’adresse contient un encodage invalide (caractère « % » mal formé).');
  }
  switch ((error as { type?: unknown }).type) {
    case 'parameters.too.many':
      return new AppError('payload_too_large', 'Le formulaire envoyé contient trop de champs.');
    case 'entity.parse.failed':
      return new AppError('malformed_json', 'Le corps de la requête n’est pas un JSON valide.');
    case 'entity.too.large':
      return new AppError('payload_too_large', 'Le corps de la requête dépasse la taille autorisée.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Encodage de la requête non pris en charge.');
    default:
      return null;
  }
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'Cette adresse ne correspond à rien.'));
};

/** The desk's own refusal for an error it knows (its own, the engine's, a body or address it cannot read); else null. */
export function knownAppErrorOf(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof EngineError) return appErrorOfEngine(error);
  return typeof error === 'object' && error !== null ? appErrorOfRequestParsing(error) : null;
}

/**
 * Last middleware. Known errors become their problem; anything else is logged with the request id and
 * answered as a bare 500 carrying that id, so support can find the log line without the client
 * seeing a stack trace or a SQL message.
 */
export const problemHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) return next(error);
  const known = knownAppErrorOf(error);
  if (known) {
    sendProblem(res, known);
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  sendProblem(
    res,
    new AppError('internal', 'Une erreur inattendue est survenue. Communiquez l’identifiant de requête au support.'),
  );
};
