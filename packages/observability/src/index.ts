export { type CreateLoggerOptions, createLogger, type Logger, redactedPaths } from './logger.ts';
