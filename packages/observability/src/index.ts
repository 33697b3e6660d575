export { createLogger, redactedPaths, type CreateLoggerOptions, type Logger } from './logger.ts';
