/**
 * The services a fault run owns, so that it can break them without touching anyone else's: a PostgreSQL cluster
 * of its own (initdb / pg_ctl on its own port and data directory), a Redis of its own (no persistence, so a
 * kill loses everything, as a crashed cache would), an SMTP sink that can refuse, and worker processes.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';

export const repositoryRoot = new URL('../../', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const pgBin = '/usr/lib/postgresql/15/bin';
const runningAsRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, its tools run as the `postgres` system user. */
function pgTool(tool: string, args: string[]): void {
  const command = join(pgBin, tool);
  if (runningAsRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
  else execFileSync(command, args, { stdio: 'pipe' });
}

export interface OwnPostgres {
  port: number;
  /** As the superuser (migrations, fixtures, checks). */
  ownerUrl: string;
  restart(): void;
  stop(): void;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parcours-faults-pg-'));
  if (runningAsRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dataDir, uid, gid);
  }
  chmodSync(dataDir, 0o700);
  const port = await freePort();
  pgTool('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dataDir} -c fsync=off`;
  const log = join(dataDir, 'server.log');
  pgTool('pg_ctl', ['-D', dataDir, '-o', options, '-l', log, '-w', 'start']);
  return {
    port,
    ownerUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => pgTool('pg_ctl', ['-D', dataDir, '-o', options, '-l', log, '-m', 'fast', '-w', 'restart']),
    stop: () => {
      try {
        pgTool('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export interface OwnRedis {
  url: string;
  /** `kill -9`: everything in it is gone (no persistence). */
  kill(): void;
  start(): Promise<void>;
  flushAll(): Promise<void>;
  stop(): void;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let server: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    for (let attempt = 0; attempt < 100; attempt += 1) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error('redis-server did not start');
  };
  await start();
  return {
    url,
    kill: () => {
      server?.kill('SIGKILL');
      server = null;
    },
    start,
    flushAll: async () => {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      client.on('error', () => {});
      await client.flushall();
      await client.quit();
    },
    stop: () => server?.kill('SIGKILL'),
  };
}

export type SinkMode = 'accept' | 'tempfail' | 'permfail' | 'close';

export interface MailSink {
  url: string;
  mode: SinkMode;
  /** Message-ID → how many times it arrived, and when each first arrived. */
  received: Map<string, number>;
  arrivals: number[];
  close(): Promise<void>;
}

/** The Message-ID the worker gives a delivery: the one way to count each mail across retries and restarts. */
export function messageIdOf(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@parcours>`;
}

export async function startMailSink(): Promise<MailSink> {
  const port = await freePort();
  const sink: MailSink = {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    mode: 'accept',
    received: new Map(),
    arrivals: [],
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      if (sink.mode === 'close') {
        callback(Object.assign(new Error('Connection refused for the test'), { responseCode: 421 }));
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (sink.mode === 'tempfail' || sink.mode === 'permfail') {
          const code = sink.mode === 'tempfail' ? 451 : 554;
          callback(Object.assign(new Error(`Refused for the test (${code})`), { responseCode: code }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = /^message-id:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? 'none';
        sink.received.set(messageId, (sink.received.get(messageId) ?? 0) + 1);
        sink.arrivals.push(Date.now());
        callback();
      });
    },
  });
  // A worker killed mid-conversation resets its connection: the server reports it here, and without a
  // listener Node would throw it in the run's own process.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

export interface WorkerProcess {
  kill(): void;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * A worker as production runs it: its own process, `services/worker/src/main.ts`, configured by environment.
 * Its log lines (warnings and worse, JSON) go to `logFile` when given, so that a crash can be read.
 */
export function startWorkerProcess(env: Record<string, string>, logFile?: string): WorkerProcess {
  const out = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/worker/src/main.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', out, 'inherit'],
  });
  if (typeof out === 'number') closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    kill: () => child.kill('SIGKILL'),
    stop: async () => {
      child.kill('SIGTERM');
      // A worker that cannot finish (its services gone) is not waited for past its own 10 s deadline.
      const deadline = setTimeout(() => child.kill('SIGKILL'), 12_000);
      await exited;
      clearTimeout(deadline);
    },
    exited,
  };
}
