export {
  type AuditRowContent,
  auditDigestKey,
  auditRowDigestOf,
  auditRowDigestOfStored,
  configureAuditDigestKey,
  derivedAuditDigestKey,
  microsecondInstantOf,
} from './audit-digest.ts';
export {
  type Database,
  type DatabaseBackend,
  type DatabaseHandle,
  type Executor,
  migrationsFolder,
  type OpenDatabaseOptions,
  openDatabase,
  schema,
  type Transaction,
} from './client.ts';
export { type MigrationStatus, readMigrationStatus } from './migration-status.ts';
export { rowsOf } from './rows.ts';
export * from './schema/index.ts';
export { type Actor, applicationRole, systemActor, systemRole, withActor } from './with-actor.ts';
