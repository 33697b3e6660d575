import { z } from 'zod';

/**
 * The territory's supervision settings (`territories.settings.supervision`): the smallest count shown
 * (k) and the targets delays are judged against, in calendar days as the field's public figures are.
 */
export const supervisionSettingsSchema = z.object({
  minimumCellCount: z.number().int().min(2).max(100).default(5),
  targets: z
    .object({
      orientationDays: z.number().int().min(1).max(365).default(45),
      appointmentDays: z.number().int().min(1).max(365).default(30),
    })
    .default({ orientationDays: 45, appointmentDays: 30 }),
});
export type SupervisionSettings = z.infer<typeof supervisionSettingsSchema>;

export const defaultSupervisionSettings: SupervisionSettings = supervisionSettingsSchema.parse({});

/** Reads a territory's settings object; anything missing or malformed falls back to the defaults. */
export function supervisionSettingsOf(territorySettings: unknown): SupervisionSettings {
  const section =
    territorySettings && typeof territorySettings === 'object'
      ? (territorySettings as { supervision?: unknown }).supervision
      : undefined;
  const parsed = supervisionSettingsSchema.safeParse(section ?? {});
  return parsed.success ? parsed.data : defaultSupervisionSettings;
}
