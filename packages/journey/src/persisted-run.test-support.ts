import {
  applyTransition,
  currentMachineVersion,
  type EventObject,
  type MachineKind,
  type PersistedSnapshot,
  startMachine,
  type TransitionOutcome,
} from './runtime.ts';

/**
 * Drives a machine the way the engine does: every step starts from a snapshot that went through JSON
 * (what a database column gives back), never from a live object.
 */

export function throughJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function start(kind: MachineKind): TransitionOutcome {
  return startMachine(kind, currentMachineVersion[kind]);
}

export function step(kind: MachineKind, from: TransitionOutcome, event: EventObject): TransitionOutcome | null {
  return applyTransition(kind, currentMachineVersion[kind], throughJson<PersistedSnapshot>(from.snapshot), event);
}

/** Plays events from the initial state; every one must be accepted. */
export function walk(kind: MachineKind, events: readonly EventObject[]): TransitionOutcome {
  let outcome = start(kind);
  for (const event of events) {
    const next = step(kind, outcome, event);
    if (!next) throw new Error(`${kind} at ${outcome.statePath} refused ${event.type}`);
    outcome = next;
  }
  return outcome;
}

/** Like `step`, for an event the test expects to be accepted. */
export function accept(kind: MachineKind, from: TransitionOutcome, event: EventObject): TransitionOutcome {
  const next = step(kind, from, event);
  if (!next) throw new Error(`${kind} at ${from.statePath} refused ${event.type}`);
  return next;
}
