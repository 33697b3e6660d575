import { bundleCodes, contactOutcomes, receptionChannels } from '@parcours/vocabulary';
import { z } from 'zod';

/** A first-level contact: no free text, so nothing personal is written by accident. */
export const recordContactInput = z.strictObject({
  channel: z.enum(receptionChannels),
  /** One of the 18 service bundles. */
  topic: z.enum(bundleCodes),
  outcome: z.enum(contactOutcomes),
  /** Absent when the person was not identified. */
  personId: z.uuid().optional(),
});
export type RecordContactInput = z.infer<typeof recordContactInput>;
