import { type AnyStateMachine, initialTransition, type StateValue, transition } from 'xstate';
import { type DelayName, delayNameOfTimer } from './delays.ts';
import { type JourneyContext, type JourneyStage, journeyMachine, journeyMachineVersion } from './journey.machine.ts';
import { finalReferralStatuses, type ReferralStatus, referralMachine, referralMachineVersion } from './referral.machine.ts';

export type MachineKind = 'journey' | 'referral';

/**
 * Released machine versions. An entry, once released, never changes: its definition is frozen by a
 * snapshot test. Cases stay on the version they started with until closed or explicitly migrated.
 */
export const machineRegistry: Record<MachineKind, Readonly<Record<number, AnyStateMachine>>> = {
  journey: { [journeyMachineVersion]: journeyMachine },
  referral: { [referralMachineVersion]: referralMachine },
};

export const currentMachineVersion: Record<MachineKind, number> = {
  journey: journeyMachineVersion,
  referral: referralMachineVersion,
};

export function resolveMachine(kind: MachineKind, version: number): AnyStateMachine {
  const machine = machineRegistry[kind][version];
  if (!machine) throw new Error(`No released ${kind} machine has version ${version}`);
  return machine;
}

/** A snapshot as stored in the database: plain JSON. */
export type PersistedSnapshot = Record<string, unknown>;

export interface Effect {
  /** e.g. `effect.notifyDeadlinePassed`: becomes an outbox row (job name) for the worker. */
  readonly type: string;
  readonly params: Record<string, unknown>;
}

export interface TimerToArm {
  /** The machine's delayed event type; sent back to the machine when the timer fires. */
  readonly timerId: string;
  readonly delayName: DelayName;
}

/** What a pure transition produced, as data: the engine persists it and turns the rest into rows. */
export interface TransitionOutcome {
  readonly snapshot: PersistedSnapshot;
  readonly stateValue: StateValue;
  /** Dotted path of the state, e.g. `active.reception`. */
  readonly statePath: string;
  readonly status: string;
  readonly effects: Effect[];
  readonly timersToArm: TimerToArm[];
  readonly timersToCancel: string[];
  readonly done: boolean;
  readonly context: Record<string, unknown>;
}

function describe(
  kind: MachineKind,
  machine: AnyStateMachine,
  snapshot: ReturnType<AnyStateMachine['resolveState']>,
  actions: ReadonlyArray<{ type: string; params?: unknown }>,
): TransitionOutcome {
  const effects: Effect[] = [];
  const timersToArm: TimerToArm[] = [];
  const timersToCancel: string[] = [];
  for (const action of actions) {
    const params = (action.params ?? {}) as Record<string, unknown>;
    if (action.type === 'xstate.raise' && typeof params.delay === 'number' && typeof params.id === 'string') {
      const delayName = delayNameOfTimer(params.id);
      if (!delayName) throw new Error(`Delayed event ${params.id} does not use a named delay`);
      timersToArm.push({ timerId: params.id, delayName });
    } else if (action.type === 'xstate.cancel' && typeof params.sendId === 'string') {
      timersToCancel.push(params.sendId);
    } else if (action.type.startsWith('effect.')) {
      effects.push({ type: action.type, params });
    }
  }
  const statePath = statePathOf(snapshot.value);
  return {
    snapshot: machine.getPersistedSnapshot(snapshot) as PersistedSnapshot,
    stateValue: snapshot.value,
    statePath,
    status: kind === 'journey' ? journeyStageOf(snapshot.value) : referralStatusOf(snapshot.value),
    effects,
    // A timer armed and cancelled in the same step (re-entry) is simply re-armed.
    timersToArm,
    timersToCancel: timersToCancel.filter((id) => !timersToArm.some((timer) => timer.timerId === id)),
    done: snapshot.status === 'done',
    context: snapshot.context as Record<string, unknown>,
  };
}

/** The first snapshot of a machine, with the timers its initial state arms. */
export function startMachine(kind: MachineKind, version = currentMachineVersion[kind]): TransitionOutcome {
  const machine = resolveMachine(kind, version);
  const [snapshot, actions] = initialTransition(machine);
  return describe(kind, machine, snapshot, actions);
}

export type EventObject = { type: string } & Record<string, unknown>;

/**
 * Applies one event to a persisted snapshot, purely. Returns null when the machine does not accept the
 * event in its current state (including a stale timer event for a state already left).
 */
export function applyTransition(
  kind: MachineKind,
  version: number,
  persisted: PersistedSnapshot,
  event: EventObject,
): TransitionOutcome | null {
  const machine = resolveMachine(kind, version);
  const current = machine.resolveState(persisted as never);
  if (current.status !== 'active' || !current.can(event as never)) return null;
  const [next, actions] = transition(machine, current, event as never);
  return describe(kind, machine, next, actions);
}

/**
 * Events a person may send now (machine-internal and engine-only events left out). Guards that read the
 * event's payload are not evaluated here; the engine still checks the full event.
 */
export function allowedEventsOf(
  kind: MachineKind,
  version: number,
  persisted: PersistedSnapshot,
  sendable: ReadonlySet<string>,
): string[] {
  const machine = resolveMachine(kind, version);
  const snapshot = machine.resolveState(persisted as never);
  if (snapshot.status !== 'active') return [];
  const events = new Set<string>();
  for (const node of snapshot._nodes) {
    for (const type of node.ownEvents) if (sendable.has(type)) events.add(type);
  }
  return [...events].sort();
}

export function statePathOf(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value)[0] ?? [];
  if (key === undefined) return '';
  return child === undefined ? key : `${key}.${statePathOf(child as StateValue)}`;
}

export function journeyStageOf(value: StateValue): JourneyStage {
  const path = statePathOf(value);
  return (path.startsWith('active.') ? path.slice('active.'.length) : path) as JourneyStage;
}

export function referralStatusOf(value: StateValue): ReferralStatus {
  const path = statePathOf(value);
  return (path.startsWith('awaitingAnswer.') ? path.slice('awaitingAnswer.'.length) : path) as ReferralStatus;
}

export function isFinalReferralStatus(status: string): boolean {
  return (finalReferralStatuses as readonly string[]).includes(status);
}

/**
 * What the journey learns when a referral moves: it was sent, or it ended (successfully or not).
 * Returns null when the move means nothing to the journey.
 */
export function journeyEventForReferral(
  referralId: string,
  fromStatus: string,
  to: Pick<TransitionOutcome, 'status' | 'context'>,
): EventObject | null {
  if (fromStatus === 'draft' && to.status === 'sent') return { type: 'REFERRAL_SENT', referralId };
  if (!isFinalReferralStatus(fromStatus) && isFinalReferralStatus(to.status)) {
    // A draft that is cancelled was never in flight: the journey never counted it.
    if (fromStatus === 'draft') return null;
    const outcome = to.context.outcome;
    return {
      type: 'REFERRAL_CLOSED',
      referralId,
      status: to.status,
      successful: to.status === 'completed',
      ...(typeof outcome === 'string' ? { outcome } : {}),
    };
  }
  return null;
}

export type { JourneyContext };
