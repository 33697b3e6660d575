import { membershipRoles } from '@parcours/vocabulary';
import { z } from 'zod';

export const loginBody = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
});

export const chooseActingOrganisationBody = z.strictObject({ organisationId: z.uuid() });

export const sessionView = z.object({
  agent: z.object({ id: z.uuid(), displayName: z.string() }),
  organisations: z.array(z.object({ id: z.uuid(), name: z.string(), kind: z.string(), roles: z.array(z.enum(membershipRoles)) })),
  /** Set when the agent has exactly one organisation, or once one is chosen. */
  actingOrganisationId: z.uuid().nullable(),
});
export type SessionView = z.infer<typeof sessionView>;

export const csrfTokenView = z.object({ csrfToken: z.string() });
