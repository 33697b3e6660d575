export { type AppDependencies, createApp } from './app.ts';
export { DatabaseSessionStore } from './auth/database-session.store.ts';
export { type DeskEnv, deskEnvSchema, parseDeskEnv } from './env.ts';
export { buildOpenApiDocument } from './openapi/openapi-document.ts';
