import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { defaultDelayWorkingDays, delayNameOfTimer, isDelayName } from './delays.ts';
import { sendableEventTypes } from './index.ts';
import { journeyAgentEventSchema, journeySystemEventSchema } from './journey.machine.ts';
import { referralEventSchema } from './referral.machine.ts';
import { currentMachineVersion, type MachineKind, machineRegistry } from './runtime.ts';
import { journeySampleEvents, referralSampleEvents } from './sample-events.ts';

function stateNodesOf(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => stateNodesOf(child as AnyStateNode))];
}

function delaysUsedBy(machine: AnyStateMachine): string[] {
  return stateNodesOf(machine.root).flatMap((node) => node.after.map((transition) => String(transition.delay)));
}

const typesOf = (schema: { options: ReadonlyArray<{ shape: { type: { value: string } } }> }) =>
  schema.options.map((option) => option.shape.type.value);

/** Event types a machine reacts to, without the timers it raises itself. */
const eventTypesOf = (machine: AnyStateMachine) =>
  new Set(machine.root.events.map(String).filter((type) => !type.startsWith('xstate.after.')));

const released = (Object.keys(machineRegistry) as MachineKind[]).flatMap((kind) =>
  Object.entries(machineRegistry[kind]).map(([version, machine]) => ({ kind, version: Number(version), machine })),
);

describe('released machine definitions', () => {
  it.each(released)(
    'when $kind v$version is loaded, then its definition is exactly the released one',
    async ({ kind, version, machine }) => {
      // A failure here means a released version changed. Do not update the snapshot: release a new version
      // (a new machine in the registry) and leave this one as it was.
      const frozen = {
        definition: machine.definition,
        // Implementations are code and cannot be frozen as data; their names at least must not move.
        implementations: {
          actions: Object.keys(machine.implementations.actions).sort(),
          guards: Object.keys(machine.implementations.guards).sort(),
          delays: Object.keys(machine.implementations.delays).sort(),
        },
      };
      await expect(`${JSON.stringify(frozen, null, 2)}\n`).toMatchFileSnapshot(`./__snapshots__/${kind}.v${version}.json`);
    },
  );

  it('when the registry is read, then the current version of each machine is released under its own id', () => {
    for (const kind of Object.keys(machineRegistry) as MachineKind[]) {
      const machine = machineRegistry[kind][currentMachineVersion[kind]];
      expect(machine?.id).toBe(kind);
      expect(machine?.version).toBe(String(currentMachineVersion[kind]));
    }
  });
});

describe('named delays', () => {
  it.each(released)('when $kind v$version waits, then every delay is a name the engine resolves', ({ machine }) => {
    const used = delaysUsedBy(machine);
    expect(used.length).toBeGreaterThan(0);
    for (const delay of used) expect(isDelayName(delay), `${delay} is not a named delay`).toBe(true);
    expect(Object.keys(machine.implementations.delays).sort()).toEqual([...new Set(used)].sort());
  });

  it.each(released)(
    'when $kind v$version arms a timer, then the delay name can be read back from the timer id',
    ({ machine }) => {
      for (const node of stateNodesOf(machine.root)) {
        for (const transition of node.after) expect(delayNameOfTimer(transition.eventType)).toBe(transition.delay);
      }
    },
  );

  it('when the defaults are listed, then every one is used by a machine and is a whole number of working days', () => {
    const used = new Set(released.flatMap(({ machine }) => delaysUsedBy(machine)));
    expect([...used].sort()).toEqual(Object.keys(defaultDelayWorkingDays).sort());
    for (const days of Object.values(defaultDelayWorkingDays)) expect(Number.isInteger(days) && days > 0).toBe(true);
  });

  it('when a partner does not answer, then the reminder comes before the escalation, and both before expiry', () => {
    const { referralReminder, referralEscalation, referralExpiry } = defaultDelayWorkingDays;
    expect(referralReminder).toBeLessThan(referralEscalation);
    expect(referralEscalation).toBeLessThan(referralExpiry);
  });
});

describe('event schemas', () => {
  const journeyMachine = machineRegistry.journey[currentMachineVersion.journey];
  const referralMachine = machineRegistry.referral[currentMachineVersion.referral];

  it('when the journey reacts to an event type, then a zod schema (agent or engine) describes it, and no schema is unused', () => {
    const schemaTypes = [...typesOf(journeyAgentEventSchema), ...typesOf(journeySystemEventSchema)];
    expect(new Set(schemaTypes).size).toBe(schemaTypes.length);
    expect([...eventTypesOf(journeyMachine as AnyStateMachine)].sort()).toEqual(schemaTypes.sort());
  });

  it('when the referral reacts to an event type, then the zod schema describes it, and no schema is unused', () => {
    expect([...eventTypesOf(referralMachine as AnyStateMachine)].sort()).toEqual(typesOf(referralEventSchema).sort());
  });

  it('when a person sends an event, then its type is one of the agent schemas and never an engine-only event', () => {
    expect([...sendableEventTypes.journey].sort()).toEqual(typesOf(journeyAgentEventSchema).sort());
    for (const type of typesOf(journeySystemEventSchema)) expect(sendableEventTypes.journey.has(type)).toBe(false);
    expect([...sendableEventTypes.referral].sort()).toEqual(typesOf(referralEventSchema).sort());
  });

  it('when the sample events are parsed, then each is valid and every event type has a sample', () => {
    const journeySchema = journeyAgentEventSchema.or(journeySystemEventSchema);
    for (const event of journeySampleEvents) expect(journeySchema.safeParse(event).success, event.type).toBe(true);
    for (const event of referralSampleEvents) expect(referralEventSchema.safeParse(event).success, event.type).toBe(true);
    expect(new Set(journeySampleEvents.map((event) => event.type))).toEqual(eventTypesOf(journeyMachine as AnyStateMachine));
    expect(new Set(referralSampleEvents.map((event) => event.type))).toEqual(eventTypesOf(referralMachine as AnyStateMachine));
  });
});

describe('purity', () => {
  it('when the package source is read, then it imports only xstate, zod, the vocabulary (dependency-free) and its own modules', () => {
    const sourceDir = new URL('.', import.meta.url);
    const sources = readdirSync(sourceDir).filter((file) => file.endsWith('.ts') && !file.includes('.test'));
    expect(sources).toContain('journey.machine.ts');
    const imported = new Set<string>();
    for (const file of sources) {
      const text = readFileSync(new URL(file, sourceDir), 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        const specifier = match[1] ?? '';
        if (!specifier.startsWith('./')) imported.add(specifier);
      }
    }
    expect([...imported].sort()).toEqual(['@parcours/vocabulary', 'xstate', 'zod']);
  });
});
