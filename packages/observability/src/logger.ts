import { type Logger, type LoggerOptions, pino } from 'pino';
import { safeErrorOf } from './safe-error.ts';

export type { Logger };

/**
 * Paths that must never reach a log line even if a caller passes a whole object: identity, contact,
 * free text, credentials. Logs carry ids and codes only.
 */
export const redactedPaths = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'familyName',
  '*.familyName',
  'givenNames',
  '*.givenNames',
  'birthName',
  '*.birthName',
  'birthDate',
  '*.birthDate',
  'email',
  '*.email',
  'phone',
  '*.phone',
  'expressedRequest',
  '*.expressedRequest',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

export interface CreateLoggerOptions {
  name: string;
  level?: string;
}

/** One logger per service; LOG_LEVEL chooses the level (silent in tests unless asked). */
export function createLogger(options: CreateLoggerOptions, destination?: pino.DestinationStream): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  const config: LoggerOptions = {
    name: options.name,
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: options.name },
    // Every `err` a line carries, whoever logs it: never a statement nor its parameters.
    serializers: { err: safeErrorOf, error: safeErrorOf },
  };
  return destination ? pino(config, destination) : pino(config);
}
