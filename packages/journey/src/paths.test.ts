import { type AdjacencyMap, getAdjacencyMap, getShortestPaths, getSimplePaths, getStateNodes } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject, StateValue } from 'xstate';
import { start, throughJson } from './persisted-run.test-support.ts';
import {
  applyTransition,
  currentMachineVersion,
  type MachineKind,
  machineRegistry,
  type PersistedSnapshot,
  statePathOf,
  type TransitionOutcome,
} from './runtime.ts';
import { journeySampleEvents, referralSampleEvents } from './sample-events.ts';

/**
 * Model-based: @xstate/graph walks each machine in memory, and every path it finds is replayed the way
 * the engine runs a case, one JSON-persisted snapshot at a time through `applyTransition`. A state that no
 * path reaches fails the test, so a new state needs a way in (and a sample event to get there).
 */

interface Model {
  kind: MachineKind;
  machine: AnyStateMachine;
  events: EventObject[];
  /**
   * What makes two snapshots "the same state" for the walk: the state value, plus the context the guards
   * read (so that a guarded transition is explored from each case it distinguishes). Counters and
   * histories are left out, or the graph would never end.
   */
  serialize: (snapshot: { value: StateValue; context: Record<string, unknown> }) => string;
}

/** Timer events are not a person's: they come from the machine's own `after` transitions. */
const timerEventsOf = (machine: AnyStateMachine): EventObject[] =>
  machine.root.events
    .map(String)
    .filter((type) => type.startsWith('xstate.after.'))
    .map((type) => ({ type }));

function modelOf(kind: MachineKind, samples: readonly EventObject[], serialize: Model['serialize']): Model {
  const machine = machineRegistry[kind][currentMachineVersion[kind]] as AnyStateMachine;
  return { kind, machine, events: [...samples, ...timerEventsOf(machine)], serialize };
}

const models: Model[] = [
  modelOf('journey', journeySampleEvents, ({ value, context }) =>
    JSON.stringify({
      value,
      resumeStage: context.resumeStage,
      activeReferralIds: [...(context.activeReferralIds as string[])].sort(),
    }),
  ),
  modelOf('referral', referralSampleEvents, ({ value }) => JSON.stringify(value)),
];

const traversalOf = (model: Model) => ({
  events: model.events,
  serializeState: (snapshot: AnyMachineSnapshot) => model.serialize(snapshot),
});

interface GraphPath {
  state: AnyMachineSnapshot;
  steps: Array<{ event: EventObject; state: AnyMachineSnapshot }>;
}

/** Replays a path from the machine's start, through JSON at every step; fails on a refused step or a divergence. */
function replay(model: Model, path: GraphPath): TransitionOutcome {
  let outcome = start(model.kind);
  for (const { event, state } of path.steps) {
    // The graph's first step is the machine's own initialisation, which `startMachine` already did.
    if (event.type === 'xstate.init') {
      expect(outcome.statePath).toBe(statePathOf(state.value));
      continue;
    }
    const next = applyTransition(model.kind, currentMachineVersion[model.kind], throughJson(outcome.snapshot), event);
    if (!next) throw new Error(`${model.kind} at ${outcome.statePath} refused ${event.type}`);
    expect(model.serialize({ value: next.stateValue, context: next.context })).toBe(model.serialize(state));
    outcome = next;
  }
  return outcome;
}

/** A state path and all its ancestors: `active.reception` reaches `active` and `active.reception`. */
const withAncestors = (statePath: string) => statePath.split('.').map((_, index, parts) => parts.slice(0, index + 1).join('.'));

const allStateNodesOf = (machine: AnyStateMachine) => new Set(getStateNodes(machine).map((node) => node.path.join('.')));

describe.each(models.map((model) => [model.kind, model] as const))('%s machine paths', (_, model) => {
  const shortestPaths = getShortestPaths(model.machine, traversalOf(model)) as unknown as GraphPath[];

  it('when the graph is walked, then it finds paths', () => {
    expect(shortestPaths.length).toBeGreaterThan(1);
  });

  it.each(shortestPaths.map((path) => [describePath(path), path] as const))(
    'when the shortest path %s is replayed through persisted snapshots, then it ends in its target state',
    (_, path) => {
      const end = replay(model, path);
      expect(end.statePath).toBe(statePathOf(path.state.value));
      expect(end.done).toBe(path.state.status === 'done');
    },
  );

  it('when every shortest path is replayed, then together they reach every state node of the machine', () => {
    const reached = new Set(shortestPaths.flatMap((path) => withAncestors(replay(model, path).statePath)));
    expect([...reached].sort()).toEqual([...allStateNodesOf(model.machine)].sort());
  });

  it('when every edge of the graph is replayed from a persisted snapshot, then the pure transition agrees with the graph', () => {
    const adjacency = getAdjacencyMap(model.machine, traversalOf(model)) as AdjacencyMap<AnyMachineSnapshot, EventObject>;
    let checked = 0;
    for (const { state: from, transitions } of Object.values(adjacency)) {
      const persisted = throughJson(model.machine.getPersistedSnapshot(from) as PersistedSnapshot);
      const edges = Object.values(transitions) as Array<{ event: EventObject; state: AnyMachineSnapshot }>;
      for (const { event, state: to } of edges) {
        const next = applyTransition(model.kind, currentMachineVersion[model.kind], persisted, event);
        // A refused event is a self-loop in the graph: the machine stays as it was.
        const reachedKey = next ? model.serialize({ value: next.stateValue, context: next.context }) : model.serialize(from);
        expect(reachedKey, `${model.serialize(from)} + ${event.type}`).toBe(model.serialize(to));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('referral machine simple paths', () => {
  // The referral's guards read nothing, so its state value is its whole state and simple paths stay few.
  const model = models.find((candidate) => candidate.kind === 'referral') as Model;
  const simplePaths = getSimplePaths(model.machine, traversalOf(model)) as unknown as GraphPath[];

  it('when every simple path (no state visited twice) is replayed, then each ends in its target state', () => {
    expect(simplePaths.length).toBeGreaterThan(model.events.length);
    for (const path of simplePaths) expect(replay(model, path).statePath, describePath(path)).toBe(statePathOf(path.state.value));
  });
});

function describePath(path: GraphPath): string {
  const events = path.steps.map((step) => step.event.type).filter((type) => type !== 'xstate.init');
  return `${events.length ? events.join(' → ') : '(start)'} ⇒ ${statePathOf(path.state.value)}`;
}
