import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@parcours/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmbeddedEnv } from '../src/env.ts';
import { launchParcours, type RunningParcours } from '../src/launch.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

describe('embedded start', () => {
  let dataDir: string;
  let running: RunningParcours | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parcours-start-'));
  });
  afterAll(async () => {
    await running?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when started on a fresh data folder, then it migrates, seeds a territory with history, answers /health and lets a demo agent log in', async () => {
    // A short history keeps the test quick; `npm start` writes 300 cases.
    const env = parseEmbeddedEnv({ PORT: '0', PARCOURS_DATA_DIR: dataDir, PARCOURS_DEMO_HISTORY_CASES: '40' });
    running = await launchParcours(env, createLogger({ name: 'embedded-test' }));
    expect(running).toMatchObject({ backend: 'pglite', runner: 'in-process', seeded: true });
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['pglite', 'session-secret']));

    // The desk answers before the history is written behind it.
    const health = await fetch(`${running.url}/health`);
    expect(health.status).toBe(200);
    await running.backgroundStarted;
    const login = await fetch(`${running.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'accueil.laragne@demo.parcours.test', password: 'parcours-demo' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    const cases = await fetch(`${running.url}/api/v1/cases`, { headers: { cookie } });
    expect(cases.status).toBe(200);
    const body = (await cases.json()) as { items: unknown[] };
    expect(body.items.length).toBeGreaterThan(3);

    // The history went through the engine, and the worker folds it into supervision's figures.
    const supervisor = await fetch(`${running.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'superviseure@demo.parcours.test', password: 'parcours-demo' }),
    });
    const supervisorCookie = supervisor.headers.get('set-cookie')?.split(';')[0] ?? '';
    await expect
      .poll(
        async () => {
          const report = await fetch(`${running?.url}/api/v1/supervision/activity`, { headers: { cookie: supervisorCookie } });
          const activity = (await report.json()) as {
            tables: { id: string; total: { cells: { value: number | null }[] } | null }[];
          };
          return activity.tables.find((table) => table.id === 'activity-month')?.total?.cells[1]?.value ?? 0;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(40);
  });

  it('when started again on the same folder, then it keeps the data and does not seed twice', async () => {
    await running?.stop();
    running = await launchParcours(
      parseEmbeddedEnv({ PORT: '0', PARCOURS_DATA_DIR: dataDir }),
      createLogger({ name: 'embedded-test' }),
    );
    expect(running.seeded).toBe(false);
    await running.stop();
    running = undefined;
  });

  it('when the launcher process gets Ctrl-C (SIGINT), then it shuts down cleanly with exit code 0', async () => {
    // Exactly what `npm start` runs: node with tsx as a loader, so the signal reaches our handler directly.
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/embedded/src/main.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, PORT: '0', PARCOURS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the test can do what a terminal's Ctrl-C does: signal the whole group.
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await new Promise<void>((resolveStarted, rejectStarted) => {
      const timeout = setTimeout(() => rejectStarted(new Error(`not started in time:\n${output}`)), 45_000);
      child.once('exit', (code) => rejectStarted(new Error(`exited with ${code} before starting:\n${output}`)));
      child.stdout.on('data', () => {
        if (output.includes('Ctrl-C')) {
          clearTimeout(timeout);
          resolveStarted();
        }
      });
    });
    expect(output).toContain('accueil.laragne@demo.parcours.test');
    const exitCode = await new Promise<number | string | null>((resolveExit) => {
      child.once('exit', (code, signal) => resolveExit(code ?? signal));
      process.kill(-(child.pid as number), 'SIGINT');
    });
    expect(exitCode, output).toBe(0);
  }, 60_000);
});
