/**
 * The desk's one error type. A code decides the HTTP status and the problem type; the message is
 * French, for the person reading the screen; `details` carries what a client needs to recover
 * (allowed events, current revision, invalid fields) and never anything internal.
 */
export const appErrorStatuses = {
  malformed_json: 400,
  malformed_address: 400,
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  acting_organisation_required: 403,
  forbidden: 403,
  origin_not_allowed: 403,
  csrf_token_invalid: 403,
  not_found: 404,
  event_not_allowed: 409,
  revision_conflict: 409,
  assessment_draft_exists: 409,
  assessment_immutable: 409,
  assessment_required: 409,
  commune_required: 409,
  orientation_already_chosen: 409,
  consent_already_withdrawn: 409,
  consent_not_covering: 422,
  notice_mismatch: 422,
  partner_link_refused: 403,
  payload_too_large: 413,
  request_header_too_large: 431,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type AppErrorCode = keyof typeof appErrorStatuses;

/** Short French titles, one per problem type (RFC 9457 `title`). */
const titles: Record<AppErrorCode, string> = {
  malformed_json: 'Requête illisible',
  malformed_address: 'Adresse illisible',
  validation_failed: 'Données invalides',
  unauthenticated: 'Connexion requise',
  invalid_credentials: 'Identifiants incorrects',
  acting_organisation_required: 'Structure à choisir',
  forbidden: 'Action non autorisée',
  origin_not_allowed: 'Origine non autorisée',
  csrf_token_invalid: 'Jeton de sécurité invalide',
  not_found: 'Introuvable',
  event_not_allowed: 'Action impossible à cette étape',
  revision_conflict: 'Modification concurrente',
  assessment_draft_exists: 'Évaluation déjà en cours',
  assessment_immutable: 'Évaluation terminée',
  assessment_required: 'Évaluation à terminer d’abord',
  commune_required: 'Commune de la personne inconnue',
  orientation_already_chosen: 'Service déjà choisi',
  consent_already_withdrawn: 'Consentement déjà retiré',
  consent_not_covering: 'Consentement insuffisant',
  notice_mismatch: 'Notice d’information différente',
  partner_link_refused: 'Lien refusé',
  payload_too_large: 'Requête trop volumineuse',
  request_header_too_large: 'Adresse ou en-têtes trop longs',
  unsupported_media_type: 'Format non pris en charge',
  too_many_requests: 'Trop de tentatives',
  internal: 'Erreur interne',
  unavailable: 'Service indisponible',
};

export interface FieldIssue {
  /** Dotted path of the field, e.g. `members.0.role`; empty for the whole body. */
  field: string;
  message: string;
}

export interface AppErrorDetails {
  /** What the person's consent does not cover (consent_not_covering): recipient, purpose, categories. */
  notCovered?: { recipient: boolean; purpose: boolean; categories: string[]; opposition: boolean };
  allowedEvents?: string[];
  currentRevision?: number;
  errors?: FieldIssue[];
  /** When to try again (429): also sent as `Retry-After`. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message);
  }

  get status(): number {
    return appErrorStatuses[this.code];
  }

  get title(): string {
    return titles[this.code];
  }
}

/** Problem types are URNs: stable identifiers clients can switch on, not links. */
export function problemTypeOf(code: AppErrorCode): string {
  return `urn:parcours:problem:${code.replaceAll('_', '-')}`;
}
