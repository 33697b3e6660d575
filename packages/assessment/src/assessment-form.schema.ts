import { bundleCodes } from '@parcours/vocabulary';
import { z } from 'zod';

/** Data categories an answer may belong to (a subset of @parcours/db's `dataCategories`). */
export const domainDataCategories = ['assessment', 'health'] as const;

export const NeedDomainDefinition = z.object({
  /** Stable code stored in answers: lower-case words joined by underscores. */
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().min(1),
  /** Lower-case label used inside sentences ("besoin : logement, sévère"). */
  shortLabel: z.string().min(1),
  description: z.string().min(1),
  /** Guide questions for the agent; never required answers. */
  prompts: z.array(z.string().min(1)),
  /** The service bundles that answer this need (the bundles are services, the domains are needs). */
  bundles: z.array(z.enum(bundleCodes)).min(1),
  /** `health`: answers and notes of this domain are health data and follow health access rules. */
  dataCategory: z.enum(domainDataCategories),
});
export type NeedDomainDefinition = z.infer<typeof NeedDomainDefinition>;

/** An assessment form: data, versioned. A released (id, version) never changes; a change is a new version. */
export const AssessmentForm = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    version: z.int().positive(),
    title: z.string().min(1),
    publishedOn: z.iso.date(),
    domains: z.array(NeedDomainDefinition).min(1),
  })
  .superRefine((form, context) => {
    const seen = new Set<string>();
    form.domains.forEach((domain, index) => {
      if (seen.has(domain.code))
        context.addIssue({ code: 'custom', path: ['domains', index, 'code'], message: `domaine « ${domain.code} » en double` });
      seen.add(domain.code);
    });
  });
export type AssessmentForm = z.infer<typeof AssessmentForm>;
export type AssessmentFormInput = z.input<typeof AssessmentForm>;
