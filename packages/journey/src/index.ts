export * from './delays.ts';
export * from './journey.machine.ts';
export * from './referral.machine.ts';
export * from './runtime.ts';
export * from './sample-events.ts';

import { journeyAgentEventSchema } from './journey.machine.ts';
import { referralEventSchema } from './referral.machine.ts';

/** Event types a person (agent, partner) may send to each machine; the rest are the engine's own. */
export const sendableEventTypes = {
  journey: new Set<string>(journeyAgentEventSchema.options.map((option) => option.shape.type.value)),
  referral: new Set<string>(referralEventSchema.options.map((option) => option.shape.type.value)),
} as const;
