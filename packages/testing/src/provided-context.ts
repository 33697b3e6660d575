/** What the global setup hands every test file (through vitest's provide/inject). */
export interface DatabaseTarget {
  backend: 'postgres' | 'pglite';
  /** Server URL (maintenance database) when backend is postgres. */
  serverUrl: string | null;
  /** Migrated template database every test file clones. */
  templateName: string | null;
  /** Why the suite fell back to PGlite, if it did. */
  fallbackReason: string | null;
}

export interface RedisTarget {
  url: string | null;
  /** Why Redis suites are skipped, if they are. */
  skipReason: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseTarget: DatabaseTarget;
    redisTarget: RedisTarget;
  }
}
