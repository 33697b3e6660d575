export { type CreateLoggerOptions, createLogger, type Logger, redactedPaths } from './logger.ts';
export { type SafeError, safeErrorOf, safeErrorText } from './safe-error.ts';
