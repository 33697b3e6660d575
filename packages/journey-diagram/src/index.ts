export { journeyDiagramCss } from './diagram-css.ts';
export { type DiagramLabels, defaultLabelsOf, journeyLabels, referralLabels } from './labels.ts';
export { type GraphState, type GraphTransition, type MachineGraph, readMachineGraph } from './machine-graph.ts';
export { type MachineDiagramOptions, renderMachineDiagram, type TakenTransition } from './render-machine-diagram.ts';
