/**
 * The embedded start as a new user meets it (`npm start`: node with tsx, PGlite on disk, jobs in process): seconds
 * from launching the process to `/health` on a fresh data folder (migrations, demo territory and directory seeded)
 * and on a restart, and the process's resident memory once idle — after the fresh start's history is written, and
 * after the restart. Targets (issue 22): fresh < 10 s, restart < 3 s, idle < 300 MB. Writes bench/results/start.json.
 * Run: npm run bench -- start
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = join(import.meta.dirname, '..', '..');
const port = 3_600 + Math.floor(Math.random() * 300);
const round = (value: number) => Number(value.toFixed(2));

function launch(dataDir: string): { child: ChildProcess; output: string[] } {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/embedded/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), PARCOURS_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  return { child, output };
}

async function secondsToHealth(started: number): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) return (performance.now() - started) / 1000;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > 180_000) throw new Error('no /health within 3 minutes');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const residentMbOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024;

async function until(condition: () => boolean, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parcours-start-bench-'));
  try {
    const freshStarted = performance.now();
    const fresh = launch(dataDir);
    const freshSeconds = await secondsToHealth(freshStarted);
    await until(() => fresh.output.join('').includes('demo history written'), 'the demo history');
    const historySeconds = (performance.now() - freshStarted) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const seededRssMb = residentMbOf(fresh.child.pid as number);
    await stop(fresh.child);

    const restartStarted = performance.now();
    const again = launch(dataDir);
    const restartSeconds = await secondsToHealth(restartStarted);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const idleRssMb = residentMbOf(again.child.pid as number);
    await stop(again.child);

    const result = {
      benchmark: 'start',
      measuredAt: new Date().toISOString(),
      machine: { cpus: availableParallelism(), node: process.version },
      freshSeconds: round(freshSeconds),
      freshHistoryWrittenSeconds: round(historySeconds),
      restartSeconds: round(restartSeconds),
      idleRssMb: Math.round(idleRssMb),
      idleRssAfterSeedingMb: Math.round(seededRssMb),
      targets: { freshSeconds: '< 10 (with the seed)', restartSeconds: '< 3', idleRssMb: '< 300' },
      met: { fresh: freshSeconds < 10, restart: restartSeconds < 3, idleRss: idleRssMb < 300 && seededRssMb < 300 },
    };
    const folder = join(root, 'bench', 'results');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'start.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
