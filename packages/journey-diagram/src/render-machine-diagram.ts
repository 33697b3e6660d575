import type { AnyStateMachine } from 'xstate';
import { type DiagramLabels, defaultLabelsOf } from './labels.ts';
import { eventNameOf } from './machine-graph.ts';
import { escapeXml, type PreparedDiagram, prepareDiagram, type StateMark, transitionKey } from './prepare-diagram.ts';

export interface TakenTransition {
  /** Dotted state path the transition left, e.g. `active.reception`. */
  from: string;
  /** Dotted state path it reached. */
  to: string;
  /** Event type; a timer's event (`xstate.after.<delay>.<state id>`) or its bare delay name both work. */
  event: string;
}

export interface MachineDiagramOptions {
  /** Dotted path of the state the case or referral is in, e.g. `active.assessment`. */
  currentState: string;
  /** Dotted paths of the states already passed through; unknown paths are ignored. */
  visitedStates: readonly string[];
  /** The transitions taken, oldest first; ones the diagram does not draw are only described. */
  takenTransitions?: readonly TakenTransition[];
  /** French labels by state path, event type, delay name or `EVENT:guard`; merged over the defaults. */
  labels?: DiagramLabels;
  /** The diagram's accessible name (`<title>`). */
  title: string;
  /** Prefix of the ids inside the SVG; set one per diagram when a page shows several of the same machine. */
  idPrefix?: string;
}

/** The description lists at most this many steps of the path, the most recent ones. */
const describedSteps = 40;
const cacheLimit = 64;
const cache = new Map<string, PreparedDiagram>();

/**
 * Draws a machine as an accessible SVG string. Pure and deterministic: the same machine and options give
 * the same string. The layout is computed once per machine id + version (+ labels and id prefix) and kept;
 * a call only picks, for each state and transition, its highlighted or plain markup.
 */
export function renderMachineDiagram(machine: AnyStateMachine, options: MachineDiagramOptions): string {
  const idPrefix = sanitizeId(options.idPrefix ?? `jd-${machine.id}`);
  const prepared = preparedDiagramOf(machine, options.labels, idPrefix);
  const current = prepared.states.get(options.currentState);
  if (current === undefined) {
    throw new RangeError(`Unknown state "${options.currentState}" for machine "${machine.id}"`);
  }

  const visited = new Set(options.visitedStates.filter((path) => prepared.states.has(path)));
  visited.delete(options.currentState);
  const markOf = (path: string): StateMark =>
    path === options.currentState ? 'current' : visited.has(path) ? 'visited' : 'none';

  const taken = takenTransitionIndexes(prepared, options.takenTransitions ?? []);

  let out = prepared.open;
  out += `<title id="${idPrefix}-title">${escapeXml(options.title)}</title>`;
  out += `<desc id="${idPrefix}-desc">${escapeXml(describe(prepared, options.currentState, visited, options.takenTransitions ?? []))}</desc>`;
  out += prepared.defs;
  for (const state of prepared.compounds) out += state.markup[markOf(state.state.path)];
  prepared.transitions.forEach((transition, index) => {
    out += taken.has(index) ? transition.path.taken : transition.path.plain;
  });
  for (const state of prepared.leaves) out += state.markup[markOf(state.state.path)];
  prepared.transitions.forEach((transition, index) => {
    out += taken.has(index) ? transition.label.taken : transition.label.plain;
  });
  out += prepared.legend;
  return `${out}</svg>`;
}

function preparedDiagramOf(machine: AnyStateMachine, labels: DiagramLabels | undefined, idPrefix: string): PreparedDiagram {
  // A released machine version never changes, so id + version identify its drawing.
  const key = `${machine.id}@${machine.version ?? ''}\u0000${idPrefix}\u0000${labels === undefined ? '' : JSON.stringify(labels)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const merged: DiagramLabels = { ...defaultLabelsOf(machine.id), ...labels };
  const labelOf = (name: string) => merged[name] ?? name;
  const prepared = prepareDiagram(machine, labelOf, idPrefix);
  if (cache.size >= cacheLimit) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, prepared);
  return prepared;
}

function sanitizeId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `jd-${cleaned}`;
}

/** `a.b.c` → `a.b.c`, `a.b`, `a`: the state and the states holding it, innermost first. */
function selfAndAncestors(path: string): string[] {
  const parts = path.split('.');
  return parts.map((_, index) => parts.slice(0, parts.length - index).join('.'));
}

/**
 * The drawn transitions the taken ones went along. A drawn transition may start or end on a compound state
 * (SUSPEND from « Parcours actif »), so the ends are matched innermost first, up to the outermost state.
 */
function takenTransitionIndexes(prepared: PreparedDiagram, taken: readonly TakenTransition[]): Set<number> {
  const indexes = new Set<number>();
  const seen = new Set<string>();
  for (const transition of taken) {
    const event = eventNameOf(transition.event);
    const key = transitionKey(transition.from, event, transition.to);
    if (seen.has(key)) continue;
    seen.add(key);
    match: for (const from of selfAndAncestors(transition.from)) {
      for (const to of selfAndAncestors(transition.to)) {
        const found = prepared.transitionIndex.get(transitionKey(from, event, to));
        if (found === undefined) continue;
        for (const index of found) indexes.add(index);
        break match;
      }
    }
  }
  return indexes;
}

/** The description read out instead of the picture: where the case is, where it has been, the way it came. */
function describe(
  prepared: PreparedDiagram,
  currentState: string,
  visited: Set<string>,
  taken: readonly TakenTransition[],
): string {
  const nameOf = (path: string) => {
    const chain = selfAndAncestors(path).map((step) => prepared.states.get(step)?.label ?? step);
    const [own, ...outer] = chain;
    return outer.length === 0 ? (own ?? path) : `${own} (${outer.join(', ')})`;
  };
  const shortNameOf = (path: string) => prepared.states.get(path)?.label ?? path;
  const sentences = [`Étape actuelle : ${nameOf(currentState)}.`];

  const visitedNames = [...prepared.states.keys()].filter((path) => visited.has(path)).map(nameOf);
  sentences.push(
    visitedNames.length === 0 ? 'Aucune étape parcourue auparavant.' : `Étapes parcourues : ${visitedNames.join(', ')}.`,
  );

  const steps: { text: string; times: number }[] = [];
  for (const transition of taken) {
    const text = `${prepared.labelOf(eventNameOf(transition.event))} : ${shortNameOf(transition.from)} vers ${shortNameOf(transition.to)}`;
    const previous = steps[steps.length - 1];
    if (previous?.text === text) previous.times += 1;
    else steps.push({ text, times: 1 });
  }
  if (steps.length === 0) {
    sentences.push('Aucune transition suivie.');
  } else {
    const shown = steps.slice(-describedSteps);
    const omitted = steps.length - shown.length;
    const listed = shown.map((step) => (step.times > 1 ? `${step.text}, ${step.times} fois` : step.text)).join(' ; ');
    sentences.push(
      omitted > 0
        ? `Chemin suivi : ${omitted} transitions plus anciennes non détaillées, puis ${listed}.`
        : `Chemin suivi : ${listed}.`,
    );
  }
  return sentences.join(' ');
}
