/**
 * The load generator of the transitions benchmark, in its own process so that it does not share the
 * server's event loop: N authenticated clients, each driving its own case through the journey over HTTP.
 * Closed loop (the default): each client sends its next event when the last one is answered — a throughput.
 * Open loop (`open:<events per second>`): events arrive on a fixed schedule whatever the answers, each to a case
 * with nothing in flight — a latency under a stated load; an arrival that finds every case busy is counted late.
 * Prints one JSON line: { transitions, errors, late, latenciesMs: number[] }.
 */
const [baseUrl, clientsArg, durationArg, personIdsArg, modeArg = 'closed'] = process.argv.slice(2);
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

/** A client's case ready for the open loop: logged in, opened, moved to assessment. */
async function readyCase(index: number): Promise<{ cookie: string; state: CaseState; step: number; busy: boolean }> {
  const login = await call('/api/v1/auth/login', '', { email: 'accueil.laragne@demo.parcours.test', password: 'parcours-demo' });
  if (login.status !== 200 || !login.cookie) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.json)}`);
  const opened = await call('/api/v1/cases', login.cookie, {
    channel: 'physical',
    expressedRequest: 'Demande de démonstration pour le banc d’essai',
    members: [{ personId: personIds[index % personIds.length], role: 'primary' }],
  });
  if (opened.status !== 201) throw new Error(`open case failed: ${opened.status} ${JSON.stringify(opened.json)}`);
  let state = opened.json as CaseState;
  const started = await call(`/api/v1/cases/${state.id}/events`, login.cookie, {
    event: { type: 'START_ASSESSMENT' },
    expectedRevision: state.revision,
  });
  state = started.json as CaseState;
  return { cookie: login.cookie, state, step: 0, busy: false };
}

const warmUpSeconds = 5;

async function openLoop(ratePerSecond: number) {
  const cases = await Promise.all(Array.from({ length: clients }, (_, index) => readyCase(index)));
  const latencies: number[] = [];
  let transitions = 0;
  let errors = 0;
  let late = 0;
  const startAt = performance.now() + 1000;
  // The first seconds run at the same rate but are not measured: connections, plans and caches settle there.
  const warmUpArrivals = Math.floor(warmUpSeconds * ratePerSecond);
  const arrivals = warmUpArrivals + Math.floor((durationMs / 1000) * ratePerSecond);
  const inFlight: Promise<void>[] = [];
  for (let arrival = 0; arrival < arrivals; arrival += 1) {
    const due = startAt + (arrival * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolveWait) => setTimeout(resolveWait, wait));
    const free = cases.find((candidate) => !candidate.busy);
    if (!free) {
      if (arrival >= warmUpArrivals) late += 1;
      continue;
    }
    free.busy = true;
    const event = free.step % 2 === 0 ? { type: 'SUSPEND', reason: 'person_request' } : { type: 'RESUME' };
    inFlight.push(
      (async () => {
        // Measured from the scheduled arrival: a late start counts against the system, as it would for a person.
        const answer = await call(`/api/v1/cases/${free.state.id}/events`, free.cookie, {
          event,
          expectedRevision: free.state.revision,
        });
        const elapsed = performance.now() - due;
        const measured = arrival >= warmUpArrivals;
        if (answer.status === 200) {
          if (measured) {
            transitions += 1;
            latencies.push(elapsed);
          }
          free.state = answer.json as CaseState;
          free.step += 1;
        } else if (measured) errors += 1;
        free.busy = false;
      })(),
    );
  }
  await Promise.all(inFlight);
  return {
    transitions,
    errors,
    late,
    elapsedMs: performance.now() - startAt,
    latenciesMs: latencies,
    arrivals: arrivals - warmUpArrivals,
  };
}

if (modeArg.startsWith('open:')) {
  process.stdout.write(`${JSON.stringify(await openLoop(Number(modeArg.slice(5))))}\n`);
} else {
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
      late: 0,
      elapsedMs: Date.now() - startAt,
      latenciesMs: latencies,
    })}\n`,
  );
}
