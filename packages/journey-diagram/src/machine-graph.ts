import type { AnyStateMachine, AnyStateNode } from 'xstate';

/**
 * The drawable graph of a machine, read from its state nodes: what a diagram shows, before any layout.
 * Everything is in the machine's definition order, so that the same machine always gives the same graph.
 */
export interface GraphState {
  /** Dotted path from the root, e.g. `active.reception`; the key of the state everywhere in this package. */
  path: string;
  parent: string | null;
  kind: 'atomic' | 'compound' | 'final';
  children: string[];
  /** Delayed transitions without a target (a deadline that only notifies): shown inside the state. */
  timers: string[];
}

export interface GraphTransition {
  /** Stable id: `from>event>to`, with `#n` appended to the n-th repeat. */
  id: string;
  from: string;
  to: string;
  /** The event type, or the delay name when `delayed`. */
  event: string;
  delayed: boolean;
  /** Name of the guard, when the transition is one guarded branch of its event. */
  guard: string | null;
}

export interface MachineGraph {
  states: GraphState[];
  transitions: GraphTransition[];
}

const afterPrefix = 'xstate.after.';

/** `xstate.after.<delay>.<state id>` → `<delay>`; any other event type is returned unchanged. */
export function eventNameOf(eventType: string): string {
  if (!eventType.startsWith(afterPrefix)) return eventType;
  const rest = eventType.slice(afterPrefix.length);
  const dot = rest.indexOf('.');
  return dot === -1 ? rest : rest.slice(0, dot);
}

function delayNameOf(delay: unknown, eventType: string): string {
  if (typeof delay === 'string') return delay;
  if (typeof delay === 'number') return `${delay} ms`;
  return eventNameOf(eventType);
}

function guardNameOf(guard: unknown): string | null {
  if (typeof guard === 'string') return guard;
  if (guard !== null && typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  if (typeof guard === 'function') return guard.name || 'condition';
  return null;
}

const pathOf = (node: AnyStateNode) => node.path.join('.');

/**
 * Reads states and transitions off `machine.root`. Transitions without a target (they only record or
 * notify) are not edges: the delayed ones become `timers` of their state, the others are left out.
 * Transitions declared on the root itself are left out too (they would apply from everywhere).
 */
export function readMachineGraph(machine: AnyStateMachine): MachineGraph {
  const states: GraphState[] = [];
  const transitions: Omit<GraphTransition, 'id'>[] = [];

  const visit = (node: AnyStateNode, parent: string | null) => {
    const path = pathOf(node);
    const children = Object.values(node.states) as AnyStateNode[];
    const state: GraphState = {
      path,
      parent,
      kind: children.length > 0 ? 'compound' : node.type === 'final' ? 'final' : 'atomic',
      children: children.map(pathOf),
      timers: [],
    };
    states.push(state);

    const delays = new Map<string, unknown>(node.after.map((after) => [String(after.eventType), after.delay]));
    for (const [eventType, definitions] of node.transitions) {
      const delayed = delays.has(eventType);
      const event = delayed ? delayNameOf(delays.get(eventType), eventType) : eventType;
      for (const definition of definitions) {
        const targets = definition.target ?? [];
        if (targets.length === 0) {
          if (delayed && !state.timers.includes(event)) state.timers.push(event);
          continue;
        }
        const guard = definitions.length > 1 ? guardNameOf(definition.guard) : null;
        for (const target of targets) transitions.push({ from: path, to: pathOf(target), event, delayed, guard });
      }
    }
    for (const child of children) visit(child, path);
  };
  for (const child of Object.values(machine.root.states) as AnyStateNode[]) visit(child, null);

  return { states, transitions: withIds(liftShared(states, transitions)) };
}

/**
 * A transition that every child of a compound state takes to the same place (SUSPEND from each stage) is
 * drawn once, from the compound state; likewise one that reaches every child (RESUME, guarded per stage) is
 * drawn once, to the compound state. Repeated until nothing changes, so it also works for deeper nesting.
 */
function liftShared(states: GraphState[], transitions: Omit<GraphTransition, 'id'>[]): Omit<GraphTransition, 'id'>[] {
  const byPath = new Map(states.map((state) => [state.path, state]));
  let current = transitions;
  for (;;) {
    const next = liftOnce(byPath, current, 'from') ?? liftOnce(byPath, current, 'to');
    if (next === null) return current;
    current = next;
  }
}

function liftOnce(
  byPath: Map<string, GraphState>,
  transitions: Omit<GraphTransition, 'id'>[],
  end: 'from' | 'to',
): Omit<GraphTransition, 'id'>[] | null {
  const other = end === 'from' ? 'to' : 'from';
  const groups = new Map<string, Omit<GraphTransition, 'id'>[]>();
  for (const transition of transitions) {
    const parent = byPath.get(transition[end])?.parent;
    if (parent == null) continue;
    const key = `${parent}\u0000${transition.event}\u0000${transition[other]}\u0000${transition.delayed}`;
    const group = groups.get(key) ?? [];
    group.push(transition);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (first === undefined) continue;
    const parent = byPath.get(byPath.get(first[end])?.parent ?? '');
    if (parent === undefined || group.length < 2) continue;
    const ends = new Set(group.map((transition) => transition[end]));
    const outside = !isWithin(first[other], parent.path);
    if (!outside || !parent.children.every((child) => ends.has(child))) continue;
    const lifted = { ...first, [end]: parent.path, guard: null };
    const members = new Set(group);
    const result: Omit<GraphTransition, 'id'>[] = [];
    let placed = false;
    for (const transition of transitions) {
      if (!members.has(transition)) result.push(transition);
      else if (!placed) {
        result.push(lifted);
        placed = true;
      }
    }
    return result;
  }
  return null;
}

/** Whether `path` is `ancestor` or lies inside it. */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}.`);
}

function withIds(transitions: Omit<GraphTransition, 'id'>[]): GraphTransition[] {
  const seen = new Map<string, number>();
  return transitions.map((transition) => {
    const base = `${transition.from}>${transition.event}>${transition.to}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return { ...transition, id: count === 0 ? base : `${base}#${count}` };
  });
}
