export { createTestDatabase, availableBackends, redisForTests, type TestDatabase } from './test-database.ts';
export { defaultDatabaseUrl, defaultRedisUrl, isCi, probePostgres, probeRedis, withDatabaseName } from './services.ts';
