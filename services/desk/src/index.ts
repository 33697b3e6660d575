export { buildOpenApiDocument } from './api/openapi-document.ts';
export { type AppDependencies, createApp } from './app.ts';
export { type DeskEnv, deskEnvSchema, parseDeskEnv } from './env.ts';
export { backfillMatchKeys, identityMatchSecretOf, signMatchToken } from './features/persons/person-match.ts';
export { DatabaseSessionStore } from './http/database-session.store.ts';
export { createDeskServer, listenDesk } from './http/listen.ts';
