/**
 * SIGTERM, as systemd or an orchestrator sends it: the desk stops accepting, answers the requests in flight,
 * and exits; the worker stops claiming, finishes its jobs and exits; both within 10 s and with code 0. Each
 * runs as its own process, as in production, on a database of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createTestDatabase, databaseTarget, type TestDatabase } from '@parcours/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskWorld, password } from '../services/desk/test/harness.ts';
import { freePort, repositoryRoot } from './faults/fault-services.ts';

const postgres = databaseTarget().backend === 'postgres';

function startService(entry: string, env: Record<string, string>): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repositoryRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit };
}

async function waitForLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`no line matching ${pattern} in: ${seen.slice(-500)}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timeout);
        resolve();
      }
    });
  });
}

describe.skipIf(!postgres)('shutdown on SIGTERM (PostgreSQL: the services run as processes of their own)', () => {
  let database: TestDatabase;
  let agentEmail: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    agentEmail = (await createDeskWorld(database.db)).agentEmail;
  });
  afterAll(async () => {
    await database?.close();
  });

  it('when the desk gets SIGTERM with requests in flight, then each is answered, new ones are refused, and it exits 0 within 10 s', async () => {
    const port = await freePort();
    const desk = startService('services/desk/src/main.ts', {
      DATABASE_URL: database.url as string,
      PORT: String(port),
      SESSION_SECRET: 'a shutdown test secret, long enough for cookies',
    });
    await waitForLine(desk.child, /desk listening/);
    // Logins hash with argon2 (tens of milliseconds each): twenty of them are still running at the signal.
    const inFlight = Array.from({ length: 20 }, () =>
      fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: agentEmail, password }),
      }).then((response) => response.status),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    const signalled = Date.now();
    desk.child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    expect(statuses).toEqual(Array(20).fill(200));
    const code = await desk.exit;
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('when the worker gets SIGTERM, then it stops claiming, closes its queues and exits 0 within 10 s', async () => {
    const worker = startService('services/worker/src/main.ts', {
      DATABASE_URL: database.url as string,
      AUDIT_DIGEST_KEY: 'a shutdown test key, long enough to key digests',
      MAIL_CAPTURE_DIR: `/tmp/parcours-shutdown-mail-${process.pid}`,
    });
    await waitForLine(worker.child, /worker started/);
    const signalled = Date.now();
    worker.child.kill('SIGTERM');
    const [code] = (await once(worker.child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
  });
});
