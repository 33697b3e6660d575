export { createTestDatabase, availableBackends, databaseTarget, redisForTests, type TestDatabase } from './test-database.ts';
export type { DatabaseTarget, RedisTarget } from './provided-context.ts';
export { defaultDatabaseUrl, defaultRedisUrl, isCi, probePostgres, probeRedis, withDatabaseName } from './services.ts';
export { createFixtureTerritory, ManualClock, type FixtureTerritory } from './fixtures.ts';
