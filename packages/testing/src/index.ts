export { createFixtureTerritory, type FixtureTerritory, ManualClock } from './fixtures.ts';
export type { DatabaseTarget, RedisTarget } from './provided-context.ts';
export { defaultDatabaseUrl, defaultRedisUrl, isCi, probePostgres, probeRedis, withDatabaseName } from './services.ts';
export {
  availableBackends,
  createTestDatabase,
  databaseTarget,
  redisForTests,
  serviceRole,
  type TestDatabase,
} from './test-database.ts';
