/**
 * The load generator of the transitions benchmark, in its own process so that it does not share the
 * server's event loop: N authenticated clients, each driving its own case through the journey over HTTP.
 * Prints one JSON line: { transitions, errors, latenciesMs: number[] }.
 */
const [baseUrl, clientsArg, durationArg, personIdsArg] = process.argv.slice(2);
if (!baseUrl || !clientsArg || !durationArg || !personIdsArg) {
  process.stderr.write('usage: transitions-load <url> <clients> <durationSeconds> <personId,personId,…>\n');
  process.exit(2);
}
const clients = Number(clientsArg);
const durationMs = Number(durationArg) * 1000;
const personIds = personIdsArg.split(',');

interface CaseState {
  id: string;
  revision: number;
}

async function call(
  path: string,
  cookie: string,
  body: unknown,
): Promise<{ status: number; json: unknown; cookie: string | null }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  return { status: response.status, json, cookie: response.headers.get('set-cookie')?.split(';')[0] ?? null };
}

async function runClient(
  index: number,
  startAt: number,
  until: number,
  latencies: number[],
): Promise<{ transitions: number; errors: number }> {
  const login = await call('/api/v1/auth/login', '', { email: 'accueil.laragne@demo.parcours.test', password: 'parcours-demo' });
  if (login.status !== 200 || !login.cookie) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.json)}`);
  const cookie = login.cookie;
  const opened = await call('/api/v1/cases', cookie, {
    channel: 'physical',
    expressedRequest: 'Demande de démonstration pour le banc d’essai',
    members: [{ personId: personIds[index % personIds.length], role: 'primary' }],
  });
  if (opened.status !== 201) throw new Error(`open case failed: ${opened.status} ${JSON.stringify(opened.json)}`);
  let state = opened.json as CaseState;
  await new Promise((resolveWait) => setTimeout(resolveWait, Math.max(0, startAt - Date.now())));
  let transitions = 0;
  let errors = 0;
  // reception → assessment, then suspend and resume forever: every event is one journey transition that
  // also cancels and arms a deadline, like real work.
  const events = [{ type: 'SUSPEND', reason: 'person_request' }, { type: 'RESUME' }];
  let next: Record<string, unknown> = { type: 'START_ASSESSMENT' };
  let step = 0;
  while (Date.now() < until) {
    const started = performance.now();
    const answer = await call(`/api/v1/cases/${state.id}/events`, cookie, { event: next, expectedRevision: state.revision });
    const elapsed = performance.now() - started;
    if (answer.status !== 200) {
      errors += 1;
      continue;
    }
    latencies.push(elapsed);
    transitions += 1;
    state = answer.json as CaseState;
    next = events[step % 2] as Record<string, unknown>;
    step += 1;
  }
  return { transitions, errors };
}

const latencies: number[] = [];
// Every client logs in and opens its case first; the clock starts when all are ready.
const startAt = Date.now() + 3000;
const results = await Promise.all(
  Array.from({ length: clients }, async (_, index) => {
    const until = startAt + durationMs;
    return runClient(index, startAt, until, latencies);
  }),
);
process.stdout.write(
  `${JSON.stringify({
    transitions: results.reduce((sum, result) => sum + result.transitions, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    elapsedMs: Date.now() - startAt,
    latenciesMs: latencies,
  })}\n`,
);
