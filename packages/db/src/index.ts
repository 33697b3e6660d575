export {
  openDatabase,
  migrationsFolder,
  schema,
  type Database,
  type DatabaseBackend,
  type DatabaseHandle,
  type Executor,
  type OpenDatabaseOptions,
  type Transaction,
} from './client.ts';
export { withActor, systemActor, type Actor } from './with-actor.ts';
export { rowsOf } from './rows.ts';
export * from './schema/index.ts';
