import net from 'node:net';
import postgres from 'postgres';

export const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
export const defaultRedisUrl = 'redis://127.0.0.1:6379';

export function isCi(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** Answers the reason PostgreSQL cannot be reached, or null when it answers. */
export async function probePostgres(url: string): Promise<string | null> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return null;
  } catch (error) {
    return `PostgreSQL at ${redactUrl(url)} did not answer (${(error as Error).message})`;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** Answers the reason Redis cannot be reached, or null when it answers PING. */
export function probeRedis(url: string): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(2000, () => done(`Redis at ${redactUrl(url)} did not answer in time`));
    socket.once('error', (error) => done(`Redis at ${redactUrl(url)} did not answer (${error.message})`));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) =>
      done(
        data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH')
          ? null
          : `Redis at ${redactUrl(url)} answered ${JSON.stringify(data.toString().trim())}`,
      ),
    );
  });
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** The same URL on another database name. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
