import dagre from '@dagrejs/dagre';
import type { GraphState, GraphTransition, MachineGraph } from './machine-graph.ts';
import { estimateTextWidth } from './text-metrics.ts';

export interface Point {
  x: number;
  y: number;
}
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface LaidOutState extends Box {
  state: GraphState;
  label: string;
  timerLabels: string[];
}
export interface LaidOutTransition {
  transition: GraphTransition;
  label: string;
  /** The label broken into at most two lines, to keep the ranks narrow. */
  labelLines: string[];
  points: Point[];
  labelBox: Box;
}
export interface DiagramLayout {
  width: number;
  height: number;
  /** Parents before their children, otherwise in definition order: the order to paint them in. */
  states: LaidOutState[];
  transitions: LaidOutTransition[];
}

/** Sizes in SVG user units; the stylesheet's font sizes must match `fontSize` here. */
export const metrics = {
  fontSize: { state: 14, small: 12 },
  line: 16,
  paddingX: 14,
  /** Baseline of the first line below a box's top edge. */
  firstBaseline: 22,
  /** Room left of a state's label for the check mark of a visited state. */
  markRoom: 16,
  compoundPadding: 14,
  edgeLabelPadding: 4,
  /** The widest status line a state may show (`étape actuelle`, `✓ parcourue`). */
  statusWidth: estimateTextWidth('✓ étape parcourue', 12),
} as const;

const dagreOptions = { rankdir: 'LR', nodesep: 24, ranksep: 40, edgesep: 12, marginx: 0, marginy: 0 } as const;

/** How high a loop (a transition back to the same state) rises above its state, and the room it takes. */
const loopRise = 26;
const loopRoomOf = (label: Size) => loopRise + label.height + 4;

/** Splits a label longer than `maxChars` at the space nearest its middle; at most two lines. */
export function wrapLabel(text: string, maxChars = 16): string[] {
  if (text.length <= maxChars) return [text];
  let best = -1;
  for (let index = text.indexOf(' '); index !== -1; index = text.indexOf(' ', index + 1)) {
    if (best === -1 || Math.abs(index - text.length / 2) < Math.abs(best - text.length / 2)) best = index;
  }
  return best === -1 ? [text] : [text.slice(0, best), text.slice(best + 1)];
}

function labelSize(lines: string[]): Size {
  return {
    width: Math.max(...lines.map((line) => estimateTextWidth(line, metrics.fontSize.small))) + 2 * metrics.edgeLabelPadding,
    height: metrics.line * lines.length + 4,
  };
}

interface Size {
  width: number;
  height: number;
}

/** Height of the text block of a state: its label, one status line, then one line per timer. */
function textBlockHeight(timers: number): number {
  return metrics.firstBaseline + metrics.line * (1 + timers) + 10;
}

function textBlockWidth(label: string, timerLabels: string[]): number {
  const labelWidth = estimateTextWidth(label, metrics.fontSize.state) + 2 * metrics.markRoom;
  const timerWidth = Math.max(0, ...timerLabels.map((text) => estimateTextWidth(text, metrics.fontSize.small) + 22));
  return Math.max(labelWidth, metrics.statusWidth, timerWidth) + 2 * metrics.paddingX;
}

/** Proper ancestors of a path, outermost first: `a.b.c` → `a`, `a.b`. */
function ancestorsOf(path: string): string[] {
  const parts = path.split('.');
  return parts.slice(1).map((_, index) => parts.slice(0, index + 1).join('.'));
}

/**
 * The level a transition is laid out at (the deepest state containing both ends, `null` for the top) and
 * its ends lifted to that level's children.
 */
function levelOf(transition: GraphTransition): { level: string | null; from: string; to: string } {
  const fromChain = [...ancestorsOf(transition.from), transition.from];
  const toChain = [...ancestorsOf(transition.to), transition.to];
  let common = 0;
  while (common < fromChain.length - 1 && common < toChain.length - 1 && fromChain[common] === toChain[common]) {
    common += 1;
  }
  const level = common === 0 ? null : (fromChain[common - 1] ?? null);
  return { level, from: fromChain[common] ?? transition.from, to: toChain[common] ?? transition.to };
}

interface LevelLayout extends Size {
  boxes: Map<string, Box>;
  routes: Map<string, { points: Point[]; labelBox: Box }>;
}

/**
 * A layered, left-to-right layout (dagre), one level of the state tree at a time: a compound state is laid
 * out inside first, then placed as one box at its parent's level. Transitions are routed at the level of
 * the deepest state holding both ends; one that crosses into a compound state from outside gets a last
 * straight segment to the state inside.
 */
export function layOutMachineGraph(graph: MachineGraph, labelOf: (key: string) => string): DiagramLayout {
  const byPath = new Map(graph.states.map((state) => [state.path, state]));
  const labels = new Map(graph.states.map((state) => [state.path, labelOf(state.path)]));
  // A deadline inside a state is a rule of the step, not something that happened: its `timer:<delay>` label
  // (« Échéance d’accueil »), the delay's event label (« Délai d’accueil dépassé ») being for the timeline.
  const timerLabelOf = (delay: string) => {
    const rule = labelOf(`timer:${delay}`);
    return rule === `timer:${delay}` ? labelOf(delay) : rule;
  };
  const timerLabels = new Map(graph.states.map((state) => [state.path, state.timers.map(timerLabelOf)]));
  const transitionLabels = new Map(
    graph.transitions.map((transition) => [
      transition.id,
      transition.guard === null
        ? labelOf(transition.event)
        : labelOf(`${transition.event}:${transition.guard}`) || labelOf(transition.event),
    ]),
  );

  const transitionLines = new Map([...transitionLabels].map(([id, label]) => [id, wrapLabel(label)]));

  const byLevel = new Map<string | null, { transition: GraphTransition; from: string; to: string }[]>();
  for (const transition of graph.transitions) {
    const placed = levelOf(transition);
    const list = byLevel.get(placed.level) ?? [];
    list.push({ transition, from: placed.from, to: placed.to });
    byLevel.set(placed.level, list);
  }

  const levels = new Map<string | null, LevelLayout>();
  const headerHeight = (state: GraphState) => textBlockHeight(state.timers.length);

  const sizeOf = (state: GraphState): Size => {
    const label = labels.get(state.path) ?? state.path;
    const timers = timerLabels.get(state.path) ?? [];
    const text = { width: textBlockWidth(label, timers), height: textBlockHeight(timers.length) };
    if (state.kind !== 'compound') return text;
    const inner = layOutLevel(state.path, state.children);
    return {
      width: Math.max(text.width, inner.width + 2 * metrics.compoundPadding),
      height: headerHeight(state) + inner.height + metrics.compoundPadding,
    };
  };

  const layOutLevel = (level: string | null, children: string[]): LevelLayout => {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ ...dagreOptions });
    g.setDefaultEdgeLabel(() => ({}));
    const placed = byLevel.get(level) ?? [];
    // dagre misplaces loops in a left-to-right layout: they are drawn here, over their state, in room
    // reserved above it.
    const loops = new Map<string, { id: string; size: Size }[]>();
    for (const { transition, from, to } of placed) {
      if (from !== to) continue;
      const list = loops.get(from) ?? [];
      // One line: a loop's label sits above it, and a narrower two-line label would hide it.
      list.push({ id: transition.id, size: labelSize([transitionLabels.get(transition.id) ?? transition.event]) });
      loops.set(from, list);
    }
    const sizes = new Map<string, Size>();
    for (const path of children) {
      const state = byPath.get(path);
      if (state === undefined) continue;
      const size = sizeOf(state);
      sizes.set(path, size);
      const own = loops.get(path) ?? [];
      const loopWidth = Math.max(0, ...own.map((loop) => loop.size.width));
      g.setNode(path, {
        width: Math.max(size.width, loopWidth),
        height: size.height + own.reduce((sum, loop) => sum + loopRoomOf(loop.size), 0),
      });
    }
    for (const { transition, from, to } of placed) {
      if (from === to) continue;
      const size = labelSize(transitionLines.get(transition.id) ?? []);
      g.setEdge(from, to, { ...size, labelpos: 'c' }, transition.id);
    }
    dagre.layout(g);

    const boxes = new Map<string, Box>();
    const routes = new Map<string, { points: Point[]; labelBox: Box }>();
    for (const path of children) {
      const node = g.node(path);
      const size = sizes.get(path) ?? { width: node.width, height: node.height };
      const cx = node.x ?? 0;
      const bottom = (node.y ?? 0) + node.height / 2;
      const box = { x: cx - size.width / 2, y: bottom - size.height, width: size.width, height: size.height };
      boxes.set(path, box);
      let top = box.y;
      for (const loop of loops.get(path) ?? []) {
        const half = Math.min(box.width / 2 - 8, 36);
        routes.set(loop.id, {
          points: [
            { x: cx + half, y: top },
            { x: cx + half, y: top - loopRise },
            { x: cx - half, y: top - loopRise },
            { x: cx - half, y: top },
          ],
          labelBox: { x: cx - loop.size.width / 2, y: top - loopRise - loop.size.height - 2, ...loop.size },
        });
        top -= loopRoomOf(loop.size);
      }
    }
    for (const edge of g.edges()) {
      const label = g.edge(edge);
      const width = label.width ?? 0;
      const height = label.height ?? 0;
      const points = (label.points ?? []).map((point: Point) => ({ x: point.x, y: point.y }));
      // dagre ends an edge on the node it laid out, which includes the room of any loop: end it on the box.
      clipEnd(points, 0, 1, loops.has(edge.v) ? boxes.get(edge.v) : undefined);
      clipEnd(points, points.length - 1, points.length - 2, loops.has(edge.w) ? boxes.get(edge.w) : undefined);
      routes.set(edge.name ?? '', {
        points,
        labelBox: { x: (label.x ?? 0) - width / 2, y: (label.y ?? 0) - height / 2, width, height },
      });
    }
    const laidOut = { width: g.graph().width ?? 0, height: g.graph().height ?? 0, boxes, routes };
    levels.set(level, laidOut);
    return laidOut;
  };

  const topLevel = graph.states.filter((state) => state.parent === null).map((state) => state.path);
  const root = layOutLevel(null, topLevel);

  // Compose levels into absolute coordinates, parents first.
  const absolute = new Map<string, Box>();
  const offsets = new Map<string | null, Point>([[null, { x: 0, y: 0 }]]);
  const place = (level: string | null) => {
    const laidOut = levels.get(level);
    const offset = offsets.get(level);
    if (laidOut === undefined || offset === undefined) return;
    for (const [path, box] of laidOut.boxes) {
      const placed = { ...box, x: box.x + offset.x, y: box.y + offset.y };
      absolute.set(path, placed);
      const state = byPath.get(path);
      if (state?.kind === 'compound') {
        const inner = levels.get(path);
        const innerWidth = inner?.width ?? 0;
        offsets.set(path, {
          x: placed.x + (placed.width - innerWidth) / 2,
          y: placed.y + headerHeight(state),
        });
        place(path);
      }
    }
  };
  place(null);

  const states: LaidOutState[] = [];
  for (const state of graph.states) {
    const box = absolute.get(state.path);
    if (box === undefined) continue;
    states.push({ ...box, state, label: labels.get(state.path) ?? state.path, timerLabels: timerLabels.get(state.path) ?? [] });
  }

  const transitions: LaidOutTransition[] = [];
  for (const [level, placedTransitions] of byLevel) {
    const laidOut = levels.get(level);
    const offset = offsets.get(level);
    if (laidOut === undefined || offset === undefined) continue;
    for (const { transition, from, to } of placedTransitions) {
      const route = laidOut.routes.get(transition.id);
      if (route === undefined) continue;
      const points = route.points.map((point) => ({ x: point.x + offset.x, y: point.y + offset.y }));
      const first = points[0];
      const last = points[points.length - 1];
      const fromBox = absolute.get(transition.from);
      const toBox = absolute.get(transition.to);
      if (from !== transition.from && fromBox !== undefined && first !== undefined) points.unshift(borderPoint(fromBox, first));
      if (to !== transition.to && toBox !== undefined && last !== undefined) points.push(borderPoint(toBox, last));
      const label = transitionLabels.get(transition.id) ?? transition.event;
      transitions.push({
        transition,
        label,
        labelLines: from === to ? [label] : (transitionLines.get(transition.id) ?? [label]),
        points,
        labelBox: { ...route.labelBox, x: route.labelBox.x + offset.x, y: route.labelBox.y + offset.y },
      });
    }
  }
  const order = new Map(graph.transitions.map((transition, index) => [transition.id, index]));
  transitions.sort((a, b) => (order.get(a.transition.id) ?? 0) - (order.get(b.transition.id) ?? 0));

  return { width: root.width, height: root.height, states, transitions };
}

function clipEnd(points: Point[], end: number, next: number, box: Box | undefined): void {
  const toward = points[next];
  if (box !== undefined && toward !== undefined && points[end] !== undefined) points[end] = borderPoint(box, toward);
}

/** Where the segment from the centre of `box` towards `toward` leaves the box. */
function borderPoint(box: Box, toward: Point): Point {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const dx = toward.x - cx;
  const dy = toward.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const scale = Math.min(
    dx === 0 ? Number.POSITIVE_INFINITY : box.width / 2 / Math.abs(dx),
    dy === 0 ? Number.POSITIVE_INFINITY : box.height / 2 / Math.abs(dy),
  );
  return { x: cx + dx * scale, y: cy + dy * scale };
}
