import {
  delayNames,
  journeyAgentEventSchema,
  journeyMachine,
  journeySystemEventSchema,
  referralEventSchema,
  referralMachine,
} from '@parcours/journey';
import { describe, expect, it } from 'vitest';
import { defaultLabelsOf, journeyLabels, referralLabels } from './labels.ts';
import { readMachineGraph } from './machine-graph.ts';

const eventTypesOf = (schema: { options: readonly { shape: { type: { value: string } } }[] }) =>
  schema.options.map((option) => option.shape.type.value);

describe('default French labels', () => {
  it('when the journey labels are read, then every state, event and delay of the journey has one', () => {
    const keys = [
      ...readMachineGraph(journeyMachine).states.map((state) => state.path),
      ...eventTypesOf(journeyAgentEventSchema),
      ...eventTypesOf(journeySystemEventSchema),
      ...delayNames.filter((name) => !name.startsWith('referral')),
    ];
    for (const key of keys) expect(journeyLabels[key], key).toMatch(/\S/);
  });

  it('when the referral labels are read, then every status, event and delay of the referral has one', () => {
    const keys = [
      ...readMachineGraph(referralMachine).states.map((state) => state.path),
      ...eventTypesOf(referralEventSchema),
      ...delayNames.filter((name) => name.startsWith('referral')),
    ];
    for (const key of keys) expect(referralLabels[key], key).toMatch(/\S/);
  });

  it('when the labels of a machine are asked by id, then the known machines get theirs and others none', () => {
    expect(defaultLabelsOf('journey')).toBe(journeyLabels);
    expect(defaultLabelsOf('referral')).toBe(referralLabels);
    expect(defaultLabelsOf('other')).toEqual({});
  });
});
