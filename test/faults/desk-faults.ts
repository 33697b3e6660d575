/**
 * The desk killed mid-request: clients keep moving cases through the HTTP API with `expectedRevision` while the
 * desk process is killed (`kill -9`) and started again. A client whose request got no answer re-reads the case
 * and goes on from what it finds, as the API's 409 asks. Then, from PostgreSQL: every acknowledged (2xx) event
 * is in the log at the revision it was acknowledged with, and no event was applied twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openDatabase } from '@parcours/db';
import { sql } from 'drizzle-orm';
import { createDeskWorld, password } from '../../services/desk/test/harness.ts';
import { freePort, repositoryRoot, startOwnPostgres } from './fault-services.ts';

export interface DeskFaultReport {
  cases: number;
  eventsAcknowledged: number;
  networkErrors: number;
  conflictsResolved: number;
  /** Acknowledged events missing from the log. */
  lost: number;
  /** Events of one type applied more than once to one case. */
  duplicated: number;
  deskRestartSeconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startDesk(env: Record<string, string>): { child: ChildProcess; listening: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/desk/src/main.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listening = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('desk listening')) resolve();
    });
    child.once('exit', () => reject(new Error('the desk exited before listening')));
  });
  return { child, listening };
}

export async function runDeskFaults(options: { cases: number; log?: (line: string) => void }): Promise<DeskFaultReport> {
  const log = options.log ?? (() => {});
  const postgres = await startOwnPostgres();
  let desk: ReturnType<typeof startDesk> | null = null;
  try {
    const owner = await openDatabase({ url: postgres.ownerUrl, maxConnections: 4 });
    await owner.migrate();
    await owner.db.execute(sql`create role parcours login in role parcours_app, parcours_system`);
    const world = await createDeskWorld(owner.db);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: `postgres://parcours@127.0.0.1:${postgres.port}/postgres`,
      PORT: String(port),
      SESSION_SECRET: 'a fault run secret, long enough for cookies',
    };
    desk = startDesk(env);
    await desk.listening;

    let cookie = '';
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
    };
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: world.agentEmail, password }),
    });
    cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;

    const caseIds: string[] = [];
    for (let index = 0; index < options.cases; index += 1) {
      const opened = await call('POST', '/api/v1/cases', {
        channel: 'physical',
        expressedRequest: 'Demande (test de pannes)',
        members: [{ personId: world.personId, role: 'primary' }],
      });
      caseIds.push(opened.body?.id as string);
    }

    const acknowledged: Array<{ caseId: string; revision: number; type: string }> = [];
    let networkErrors = 0;
    let conflictsResolved = 0;
    let deskRestartSeconds = 0;
    const steps = ['START_ASSESSMENT', 'COMPLETE_ASSESSMENT'];
    // Eight clients, each moving its share of the cases through both steps; the desk is killed half-way.
    let moved = 0;
    const client = async (share: string[]) => {
      for (const caseId of share) {
        for (const type of steps) {
          for (;;) {
            try {
              const read = await call('GET', `/api/v1/cases/${caseId}`);
              if (read.status !== 200) throw new Error(`read ${read.status}`);
              // Not allowed any more: a request whose answer was lost moved the case already; go on from there.
              if (!(read.body?.allowedEvents as string[] | undefined)?.includes(type)) break;
              const sent = await call('POST', `/api/v1/cases/${caseId}/events`, {
                event: { type },
                expectedRevision: read.body?.revision,
              });
              if (sent.status === 200) {
                acknowledged.push({ caseId, revision: sent.body?.revision as number, type });
                moved += 1;
                break;
              }
              if (sent.status === 409) {
                conflictsResolved += 1;
                continue;
              }
              throw new Error(`event ${sent.status}`);
            } catch {
              networkErrors += 1;
              await sleep(100);
            }
          }
        }
      }
    };
    const shares = Array.from({ length: 8 }, (_, index) => caseIds.filter((_, position) => position % 8 === index));
    const killer = (async () => {
      while (moved < caseIds.length) await sleep(5);
      log('fault: desk kill -9 mid-request');
      desk?.child.kill('SIGKILL');
      const down = Date.now();
      desk = startDesk(env);
      await desk.listening;
      deskRestartSeconds = (Date.now() - down) / 1000;
    })();
    await Promise.all([...shares.map(client), killer]);

    const logged = await owner.db.execute(sql`
      select case_id::text as case_id, revision, event_type from case_events
      where case_id = any(${`{${caseIds.join(',')}}`}::uuid[]) and referral_id is null`);
    const rows = (Array.isArray(logged) ? logged : (logged as { rows: unknown[] }).rows) as Array<{
      case_id: string;
      revision: number;
      event_type: string;
    }>;
    const key = (caseId: string, revision: number) => `${caseId}:${revision}`;
    const inLog = new Map(rows.map((row) => [key(row.case_id, Number(row.revision)), row.event_type]));
    // The engine's revision counts the case's writes: the event acknowledged at revision r is logged at r − 1.
    const lost = acknowledged.filter(
      (event) =>
        inLog.get(key(event.caseId, event.revision - 1)) !== event.type &&
        inLog.get(key(event.caseId, event.revision)) !== event.type,
    ).length;
    const perCaseAndType = new Map<string, number>();
    for (const row of rows) {
      if (!steps.includes(row.event_type)) continue;
      const counted = `${row.case_id}:${row.event_type}`;
      perCaseAndType.set(counted, (perCaseAndType.get(counted) ?? 0) + 1);
    }
    const duplicated = [...perCaseAndType.values()].filter((times) => times > 1).length;
    await owner.close();
    return {
      cases: options.cases,
      eventsAcknowledged: acknowledged.length,
      networkErrors,
      conflictsResolved,
      lost,
      duplicated,
      deskRestartSeconds,
    };
  } finally {
    desk?.child.kill('SIGKILL');
    postgres.stop();
  }
}
