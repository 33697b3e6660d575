import type { AnyStateMachine } from 'xstate';
import {
  type DiagramLayout,
  type LaidOutState,
  type LaidOutTransition,
  layOutMachineGraph,
  metrics,
  type Point,
} from './layout.ts';
import { type GraphState, readMachineGraph } from './machine-graph.ts';

/** How one state is shown: the three variants are rendered once, per machine, and picked per request. */
export type StateMark = 'none' | 'visited' | 'current';

export interface PreparedState {
  state: GraphState;
  label: string;
  markup: Record<StateMark, string>;
}
export interface PreparedTransition {
  id: string;
  from: string;
  to: string;
  event: string;
  path: { plain: string; taken: string };
  label: { plain: string; taken: string };
}

/** The static part of a diagram: everything but the title, the description and the highlighting. */
export interface PreparedDiagram {
  open: string;
  idPrefix: string;
  defs: string;
  legend: string;
  compounds: PreparedState[];
  leaves: PreparedState[];
  states: Map<string, PreparedState>;
  transitions: PreparedTransition[];
  /** `from \0 event \0 to` → indexes in `transitions`. */
  transitionIndex: Map<string, number[]>;
  labelOf: (key: string) => string;
}

const margin = 12;
const legendHeight = 34;

export const statusTexts = { current: 'étape actuelle', visited: '✓ parcourue' } as const;

const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => xmlEntities[char] ?? char);
}

/** Integer coordinates: smaller output, and no float formatting differences between runs. */
const n = (value: number) => String(Math.round(value));

export function transitionKey(from: string, event: string, to: string): string {
  return `${from}\u0000${event}\u0000${to}`;
}

export function prepareDiagram(machine: AnyStateMachine, labelOf: (key: string) => string, idPrefix: string): PreparedDiagram {
  const graph = readMachineGraph(machine);
  const layout = layOutMachineGraph(graph, labelOf);
  const width = Math.max(layout.width, legendWidth) + 2 * margin;
  const height = layout.height + 2 * margin + legendHeight;
  const shift = { x: margin, y: margin };

  const states = new Map<string, PreparedState>();
  const compounds: PreparedState[] = [];
  const leaves: PreparedState[] = [];
  for (const laidOut of layout.states) {
    const prepared: PreparedState = {
      state: laidOut.state,
      label: laidOut.label,
      markup: {
        none: stateMarkup(laidOut, 'none', shift),
        visited: stateMarkup(laidOut, 'visited', shift),
        current: stateMarkup(laidOut, 'current', shift),
      },
    };
    states.set(laidOut.state.path, prepared);
    (laidOut.state.kind === 'compound' ? compounds : leaves).push(prepared);
  }

  const transitions = layout.transitions.map((laidOut) => prepareTransition(laidOut, shift, idPrefix));
  const transitionIndex = new Map<string, number[]>();
  transitions.forEach((transition, index) => {
    const key = transitionKey(transition.from, transition.event, transition.to);
    transitionIndex.set(key, [...(transitionIndex.get(key) ?? []), index]);
  });

  const open =
    `<svg xmlns="http://www.w3.org/2000/svg" class="jd-diagram" width="${n(width)}" height="${n(height)}" ` +
    `viewBox="0 0 ${n(width)} ${n(height)}" role="img" aria-labelledby="${idPrefix}-title ${idPrefix}-desc">`;

  return {
    open,
    idPrefix,
    defs: markerDefs(idPrefix),
    legend: legendMarkup(layout, idPrefix),
    compounds,
    leaves,
    states,
    transitions,
    transitionIndex,
    labelOf,
  };
}

function markerDefs(idPrefix: string): string {
  const marker = (id: string, className: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">` +
    `<path class="${className}" d="M0,0L10,5L0,10z"/></marker>`;
  return `<defs>${marker(`${idPrefix}-arrow`, 'jd-arrowhead')}${marker(`${idPrefix}-arrow-taken`, 'jd-arrowhead jd-taken')}</defs>`;
}

function stateMarkup(laidOut: LaidOutState, mark: StateMark, shift: Point): string {
  const { state } = laidOut;
  const x = laidOut.x + shift.x;
  const y = laidOut.y + shift.y;
  const cx = x + laidOut.width / 2;
  const classes = ['jd-state', `jd-${state.kind}`];
  if (mark !== 'none') classes.push(`jd-${mark}`);
  const status = mark === 'none' ? '' : statusTexts[mark];
  const title = status === '' ? laidOut.label : `${laidOut.label} — ${status}`;

  let body = `<title>${escapeXml(title)}</title>`;
  if (mark === 'current') {
    body += `<rect class="jd-current-ring" x="${n(x - 5)}" y="${n(y - 5)}" width="${n(laidOut.width + 10)}" height="${n(laidOut.height + 10)}" rx="12"/>`;
  }
  body += `<rect class="jd-box" x="${n(x)}" y="${n(y)}" width="${n(laidOut.width)}" height="${n(laidOut.height)}" rx="8"/>`;
  if (state.kind === 'final') {
    body += `<rect class="jd-final-ring" x="${n(x + 4)}" y="${n(y + 4)}" width="${n(laidOut.width - 8)}" height="${n(laidOut.height - 8)}" rx="5"/>`;
  }
  let baseline = y + metrics.firstBaseline;
  body += `<text class="jd-label" x="${n(cx)}" y="${n(baseline)}" text-anchor="middle">${escapeXml(laidOut.label)}</text>`;
  baseline += metrics.line;
  if (status !== '') {
    body += `<text class="jd-status" x="${n(cx)}" y="${n(baseline)}" text-anchor="middle">${escapeXml(status)}</text>`;
  }
  for (const timer of laidOut.timerLabels) {
    baseline += metrics.line;
    const left = x + metrics.paddingX;
    body +=
      `<line class="jd-timer-icon" x1="${n(left)}" y1="${n(baseline - 4)}" x2="${n(left + 16)}" y2="${n(baseline - 4)}"/>` +
      `<text class="jd-timer" x="${n(left + 22)}" y="${n(baseline)}">${escapeXml(timer)}</text>`;
  }
  return `<g class="${classes.join(' ')}">${body}</g>`;
}

/** A smooth path through dagre's points: straight ends, quadratic curves at the bends. */
function pathData(points: Point[], shift: Point): string {
  const shifted = points.map((point) => ({ x: point.x + shift.x, y: point.y + shift.y }));
  const first = shifted[0];
  if (first === undefined) return '';
  let d = `M${n(first.x)},${n(first.y)}`;
  for (let index = 1; index < shifted.length - 1; index += 1) {
    const bend = shifted[index];
    const next = shifted[index + 1];
    if (bend === undefined || next === undefined) continue;
    d += `Q${n(bend.x)},${n(bend.y)} ${n((bend.x + next.x) / 2)},${n((bend.y + next.y) / 2)}`;
  }
  const last = shifted[shifted.length - 1];
  if (last !== undefined && shifted.length > 1) d += `L${n(last.x)},${n(last.y)}`;
  return d;
}

function prepareTransition(laidOut: LaidOutTransition, shift: Point, idPrefix: string): PreparedTransition {
  const { transition } = laidOut;
  const base = transition.delayed ? 'jd-transition jd-delayed' : 'jd-transition';
  const d = pathData(laidOut.points, shift);
  const pathFor = (taken: boolean) =>
    `<path class="${base}${taken ? ' jd-taken' : ''}" d="${d}" marker-end="url(#${idPrefix}-arrow${taken ? '-taken' : ''})"/>`;
  const box = laidOut.labelBox;
  const cx = n(box.x + shift.x + box.width / 2);
  const lines = laidOut.labelLines
    .map((line, index) => `<tspan x="${cx}" y="${n(box.y + shift.y + 14 + index * metrics.line)}">${escapeXml(line)}</tspan>`)
    .join('');
  const labelFor = (taken: boolean) =>
    `<g class="jd-transition-label${transition.delayed ? ' jd-delayed' : ''}${taken ? ' jd-taken' : ''}">` +
    `<rect x="${n(box.x + shift.x)}" y="${n(box.y + shift.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="3"/>` +
    `<text text-anchor="middle">${lines}</text></g>`;
  return {
    id: transition.id,
    from: transition.from,
    to: transition.to,
    event: transition.event,
    path: { plain: pathFor(false), taken: pathFor(true) },
    label: { plain: labelFor(false), taken: labelFor(true) },
  };
}

const legendItems = [
  { kind: 'current', text: statusTexts.current, width: 130 },
  { kind: 'visited', text: 'étape parcourue', width: 140 },
  { kind: 'taken', text: 'transition suivie', width: 150 },
  { kind: 'delayed', text: 'délai', width: 80 },
] as const;
const legendWidth = legendItems.reduce((sum, item) => sum + item.width, 0);

/** A legend, so that no mark depends on colour or on guessing: each visual cue is named in words. */
function legendMarkup(layout: DiagramLayout, idPrefix: string): string {
  const y = margin + layout.height + 20;
  let x = margin;
  let items = '';
  for (const item of legendItems) {
    const sample =
      item.kind === 'current'
        ? `<rect class="jd-legend-current" x="${n(x)}" y="${n(y - 11)}" width="22" height="14" rx="3"/>`
        : item.kind === 'visited'
          ? `<text class="jd-legend-check" x="${n(x + 6)}" y="${n(y)}">✓</text>`
          : `<path class="jd-transition${item.kind === 'taken' ? ' jd-taken' : ' jd-delayed'}" d="M${n(x)},${n(y - 4)}H${n(x + 26)}" marker-end="url(#${idPrefix}-arrow${item.kind === 'taken' ? '-taken' : ''})"/>`;
    items += `${sample}<text class="jd-legend-text" x="${n(x + 34)}" y="${n(y)}">${escapeXml(item.text)}</text>`;
    x += item.width;
  }
  return `<g class="jd-legend">${items}</g>`;
}
