import { z } from 'zod';

/** Need level per domain: from no need to a severe one. */
export const needLevels = ['none', 'light', 'moderate', 'severe'] as const;
export const NeedLevel = z.enum(needLevels, { error: 'niveau de besoin invalide (none, light, moderate ou severe)' });
export type NeedLevel = z.infer<typeof NeedLevel>;

export const needLevelLabels: Record<NeedLevel, string> = {
  none: 'pas de besoin',
  light: 'léger',
  moderate: 'modéré',
  severe: 'sévère',
};

export const needLevelRank: Record<NeedLevel, number> = { none: 0, light: 1, moderate: 2, severe: 3 };

/**
 * The urgency scale: how soon the need must be answered. Published in the README; the delays are the
 * field's usual targets (oriented in less than 30-45 days; 72 hours for an urgent situation).
 */
export const urgencyScale = [
  { code: 'routine', rank: 0, label: 'Sans urgence', delay: 'dans le délai ordinaire d’orientation (moins de 45 jours)' },
  { code: 'soon', rank: 1, label: 'À traiter rapidement', delay: 'dans les 15 jours' },
  { code: 'urgent', rank: 2, label: 'Urgent', delay: 'sous 72 heures' },
  {
    code: 'immediate',
    rank: 3,
    label: 'Immédiat',
    delay: 'le jour même : mise en sécurité, mise à l’abri pour la nuit, alimentation, soins urgents (15, 17, 115, 3919)',
  },
] as const;
export const urgencies = ['routine', 'soon', 'urgent', 'immediate'] as const;
export const Urgency = z.enum(urgencies, { error: 'urgence invalide (routine, soon, urgent ou immediate)' });
export type Urgency = z.infer<typeof Urgency>;

export const urgencyRank: Record<Urgency, number> = { routine: 0, soon: 1, urgent: 2, immediate: 3 };
