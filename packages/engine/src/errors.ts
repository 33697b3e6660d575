export type EngineErrorCode =
  | 'case_not_found'
  | 'referral_not_found'
  | 'revision_conflict'
  | 'event_not_allowed'
  | 'invalid_event'
  | 'invalid_input';

/**
 * What the engine refuses, as data: callers map codes to HTTP statuses. A revision conflict (someone
 * moved the case meanwhile) is distinct from an event the current state does not accept.
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details: {
      currentRevision?: number;
      expectedRevision?: number;
      allowedEvents?: string[];
      issues?: unknown;
    } = {},
  ) {
    super(message);
  }
}
