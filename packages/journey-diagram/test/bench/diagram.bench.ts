/**
 * Render cost of the diagrams on a case page whose timeline holds 1,000 events (run:
 * `npx tsx packages/journey-diagram/test/bench/diagram.bench.ts`). The timeline is replayed through the
 * real machine, so the visited states and taken transitions are the ones a page would pass. Prints the
 * first render (layout included) and p50 / p95 of the cached renders; writes no results file.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { applyTransition, journeyMachine, referralMachine, startMachine } from '@parcours/journey';
import { renderMachineDiagram, type TakenTransition } from '../../src/index.ts';

const timelineLength = 1_000;
const renders = 2_000;

/** A journey that loops orientation → follow-up → orientation (failed referrals), with suspensions. */
function replayTimeline(): { current: string; visited: string[]; taken: TakenTransition[] } {
  let outcome = startMachine('journey');
  const visited = new Set<string>([outcome.statePath]);
  const taken: TakenTransition[] = [];
  const apply = (event: { type: string } & Record<string, unknown>) => {
    const next = applyTransition('journey', 1, JSON.parse(JSON.stringify(outcome.snapshot)), event);
    if (next === null) throw new Error(`refused ${event.type} at ${outcome.statePath}`);
    taken.push({ from: outcome.statePath, to: next.statePath, event: event.type });
    visited.add(next.statePath);
    outcome = next;
  };
  apply({ type: 'START_ASSESSMENT' });
  apply({ type: 'COMPLETE_ASSESSMENT' });
  while (taken.length < timelineLength) {
    const referralId = randomUUID();
    apply({ type: 'REFERRAL_SENT', referralId });
    if (taken.length % 10 === 3) {
      apply({ type: 'SUSPEND', reason: 'person_request' });
      apply({ type: 'RESUME' });
    }
    apply({ type: 'REFERRAL_CLOSED', referralId, status: 'declined', successful: false });
  }
  return { current: outcome.statePath, visited: [...visited], taken: taken.slice(0, timelineLength) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const timeline = replayTimeline();
const journeyOptions = {
  currentState: timeline.current,
  visitedStates: timeline.visited,
  takenTransitions: timeline.taken,
  title: 'Parcours du dossier',
};
const referralOptions = {
  currentState: 'appointmentSet',
  visitedStates: ['draft', 'awaitingAnswer.sent', 'awaitingAnswer.seen', 'accepted'],
  takenTransitions: [
    { from: 'draft', to: 'awaitingAnswer.sent', event: 'SEND' },
    { from: 'awaitingAnswer.sent', to: 'awaitingAnswer.seen', event: 'MARK_SEEN' },
    { from: 'awaitingAnswer.seen', to: 'accepted', event: 'ACCEPT' },
    { from: 'accepted', to: 'appointmentSet', event: 'SET_APPOINTMENT' },
  ],
  title: 'Orientation vers un partenaire',
};

for (const [name, render] of [
  ['journey (1,000 taken transitions)', () => renderMachineDiagram(journeyMachine, journeyOptions)],
  ['referral', () => renderMachineDiagram(referralMachine, referralOptions)],
] as const) {
  const coldStart = performance.now();
  const svg = render();
  const cold = performance.now() - coldStart;
  const samples: number[] = [];
  for (let index = 0; index < renders; index += 1) {
    const start = performance.now();
    render();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  process.stdout.write(
    `${name}: first render (layout) ${cold.toFixed(1)} ms; cached renders p50 ${percentile(samples, 50).toFixed(3)} ms, ` +
      `p95 ${percentile(samples, 95).toFixed(3)} ms, max ${(samples[samples.length - 1] ?? 0).toFixed(3)} ms ` +
      `(${renders} renders); ${Buffer.byteLength(svg)} bytes\n`,
  );
}
