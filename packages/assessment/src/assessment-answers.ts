import {
  type BundleCode,
  type DataCategory,
  frenchIssueMessage,
  issueReasons,
  type PotentialRightStatus,
} from '@parcours/vocabulary';
import { z } from 'zod';
import type { AssessmentForm, NeedDomainDefinition } from './assessment-form.schema.ts';
import {
  CaseManagementAnswers,
  type CaseManagementEligibility,
  caseManagementEligibility,
  emptyCaseManagementAnswers,
} from './case-management.ts';
import {
  type PotentialRight,
  PotentialRights,
  type RightCode,
  type RightVerdict,
  rightCodes,
  rightsCatalogue,
  rightVerdictOf,
} from './potential-rights.ts';
import {
  type NeedLevel,
  NeedLevel as NeedLevelSchema,
  needLevelRank,
  type Urgency,
  Urgency as UrgencySchema,
  urgencies,
  urgencyRank,
} from './scales.ts';
import { SituationAnswers } from './situation.ts';

export const DomainAnswer = z.object({
  level: NeedLevelSchema,
  /** Required when there is a need; absent when the level is `none`. */
  urgency: UrgencySchema.optional(),
  /** The agent's note; in a health-tagged domain, it is health data. */
  note: z.string().max(4000, { error: 'note trop longue (4 000 caractères au plus)' }).optional(),
});
export type DomainAnswer = z.infer<typeof DomainAnswer>;

/** The request in the person's own words (demande exprimée), kept apart from the needs the agent identifies. */
export const ExpressedRequest = z.object({
  text: z.string().max(4000, { error: 'demande trop longue (4 000 caractères au plus)' }),
  /** Domains the request is about, in the person's view; they may differ from the needs identified. */
  domains: z.array(z.string()).default([]),
});
export type ExpressedRequest = z.infer<typeof ExpressedRequest>;

/** What an assessment stores in `assessments.answers`. A draft may be partial. */
export const AssessmentAnswers = z.object({
  expressedRequest: ExpressedRequest.optional(),
  needs: z.record(z.string(), DomainAnswer).default({}),
  caseManagement: CaseManagementAnswers.partial().optional(),
  /** Household, activity, resources band: what the rights' eligibility reads (optional, see situation.ts). */
  situation: SituationAnswers.optional(),
});
export type AssessmentAnswers = z.infer<typeof AssessmentAnswers>;

export interface AssessmentIssue {
  /** Where, as in the answers: `needs.housing.urgency`. */
  path: string;
  /** French, for the agent. */
  message: string;
}
export type Validation<T> = { ok: true; value: T } | { ok: false; issues: AssessmentIssue[] };

function zodIssues(error: z.ZodError): AssessmentIssue[] {
  return issueReasons(error).map((reason) => {
    const separator = reason.indexOf(' : ');
    return separator === -1
      ? { path: '', message: reason }
      : { path: reason.slice(0, separator), message: reason.slice(separator + 3) };
  });
}

function domainsOf(form: AssessmentForm): Map<string, NeedDomainDefinition> {
  return new Map(form.domains.map((domain) => [domain.code, domain]));
}

/**
 * Validates answers being filled in: every value present must be valid and every domain must belong to
 * the form, but anything may still be missing. This is what saving a draft checks.
 */
export function validateDraft(form: AssessmentForm, input: unknown): Validation<AssessmentAnswers> {
  const parsed = AssessmentAnswers.safeParse(input, { error: frenchIssueMessage });
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const domains = domainsOf(form);
  const issues: AssessmentIssue[] = [];
  const unknown = `domaine inconnu du formulaire ${form.id} v${form.version}`;
  for (const code of Object.keys(parsed.data.needs)) {
    if (!domains.has(code)) issues.push({ path: `needs.${code}`, message: unknown });
  }
  parsed.data.expressedRequest?.domains.forEach((code, index) => {
    if (!domains.has(code)) issues.push({ path: `expressedRequest.domains[${index}]`, message: unknown });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data };
}

const caseManagementKeys = Object.keys(emptyCaseManagementAnswers) as Array<keyof CaseManagementAnswers>;

/** The MAIA screening is required when autonomy or health needs are moderate or severe. */
function requiresCaseManagementScreening(answers: AssessmentAnswers, form: AssessmentForm): boolean {
  return form.domains.some((domain) => {
    const level = answers.needs[domain.code]?.level;
    return domain.dataCategory === 'health' && level !== undefined && needLevelRank[level] >= needLevelRank.moderate;
  });
}

/**
 * Validates answers for completion: a valid draft in which every domain of the form is answered, every
 * need has an urgency (and no urgency without a need), the expressed request is written, and the MAIA
 * screening is answered when autonomy or health needs are moderate or severe.
 */
export function validateCompletion(form: AssessmentForm, input: unknown): Validation<AssessmentAnswers> {
  const draft = validateDraft(form, input);
  if (!draft.ok) return draft;
  const answers = draft.value;
  const issues: AssessmentIssue[] = [];
  if (!answers.expressedRequest?.text.trim()) {
    issues.push({ path: 'expressedRequest.text', message: 'demande exprimée par la personne non renseignée' });
  }
  for (const domain of form.domains) {
    const answer = answers.needs[domain.code];
    if (!answer) {
      issues.push({ path: `needs.${domain.code}`, message: `domaine non renseigné : ${domain.label}` });
      continue;
    }
    if (answer.level !== 'none' && !answer.urgency) {
      issues.push({
        path: `needs.${domain.code}.urgency`,
        message: `urgence à préciser pour le besoin « ${domain.shortLabel} »`,
      });
    }
    if (answer.level === 'none' && answer.urgency) {
      issues.push({ path: `needs.${domain.code}.urgency`, message: `urgence sans besoin pour « ${domain.shortLabel} »` });
    }
  }
  if (requiresCaseManagementScreening(answers, form)) {
    for (const key of caseManagementKeys) {
      const value = answers.caseManagement?.[key];
      if (value === undefined || value === null) {
        issues.push({
          path: `caseManagement.${key}`,
          message: 'critère de gestion de cas (MAIA) à renseigner : besoin d’autonomie ou de santé modéré ou sévère',
        });
      }
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: answers };
}

export interface IdentifiedNeed {
  domain: string;
  label: string;
  shortLabel: string;
  level: Exclude<NeedLevel, 'none'>;
  urgency: Urgency;
  bundles: BundleCode[];
  /** The answer is health data (domain tagged `health`). */
  health: boolean;
}

/**
 * Needs the agent identified (level other than none), most urgent first, then most severe, then in the
 * form's order. A need without urgency yet (draft) counts as routine.
 */
export function identifiedNeeds(form: AssessmentForm, answers: AssessmentAnswers): IdentifiedNeed[] {
  const order = new Map(form.domains.map((domain, index) => [domain.code, index]));
  return form.domains
    .flatMap((domain): IdentifiedNeed[] => {
      const answer = answers.needs[domain.code];
      if (!answer || answer.level === 'none') return [];
      return [
        {
          domain: domain.code,
          label: domain.label,
          shortLabel: domain.shortLabel,
          level: answer.level,
          urgency: answer.urgency ?? 'routine',
          bundles: domain.bundles,
          health: domain.dataCategory === 'health',
        },
      ];
    })
    .sort(
      (a, b) =>
        urgencyRank[b.urgency] - urgencyRank[a.urgency] ||
        needLevelRank[b.level] - needLevelRank[a.level] ||
        (order.get(a.domain) ?? 0) - (order.get(b.domain) ?? 0),
    );
}

/** Data categories the answers hold: always `assessment`; `health` when a health-tagged domain has a need or a note; `free_notes` for other notes. */
export function dataCategoriesOf(form: AssessmentForm, answers: AssessmentAnswers): DataCategory[] {
  const categories = new Set<DataCategory>(['assessment']);
  for (const domain of form.domains) {
    const answer = answers.needs[domain.code];
    if (!answer) continue;
    const hasNote = Boolean(answer.note?.trim());
    if (domain.dataCategory === 'health' && (answer.level !== 'none' || hasNote)) categories.add('health');
    else if (hasNote) categories.add('free_notes');
  }
  return ['assessment', 'health', 'free_notes'].filter((category) => categories.has(category as DataCategory)) as DataCategory[];
}

/** MAIA answers with unknowns as null. */
export function caseManagementAnswersOf(answers: AssessmentAnswers): CaseManagementAnswers {
  return {
    ...emptyCaseManagementAnswers,
    ...Object.fromEntries(Object.entries(answers.caseManagement ?? {}).filter(([, value]) => value !== undefined)),
  };
}

export interface AssessmentSummary {
  formId: string;
  formVersion: number;
  expressedRequest: ExpressedRequest | null;
  answeredDomains: number;
  totalDomains: number;
  needs: IdentifiedNeed[];
  needsByLevel: Record<Exclude<NeedLevel, 'none'>, string[]>;
  needsByUrgency: Record<Urgency, string[]>;
  /** Answered domains whose answers are health data, whatever the level. */
  healthTaggedDomains: string[];
  dataCategories: DataCategory[];
  rights: { total: number; byStatus: Record<PotentialRightStatus, RightCode[]> };
  caseManagement: CaseManagementEligibility | null;
}

/** The summary page's content: needs by level and urgency, health-tagged parts, rights, MAIA result. */
export function summariseAssessment(
  form: AssessmentForm,
  answers: AssessmentAnswers,
  rights: readonly PotentialRight[] = [],
): AssessmentSummary {
  const needs = identifiedNeeds(form, answers);
  const needsByLevel = { light: [], moderate: [], severe: [] } as Record<Exclude<NeedLevel, 'none'>, string[]>;
  const needsByUrgency = Object.fromEntries(urgencies.map((urgency) => [urgency, [] as string[]])) as unknown as Record<
    Urgency,
    string[]
  >;
  for (const need of needs) {
    needsByLevel[need.level].push(need.domain);
    needsByUrgency[need.urgency].push(need.domain);
  }
  const byStatus = { identified: [], requested: [], opened: [], refused: [], not_requested: [] } as Record<
    PotentialRightStatus,
    RightCode[]
  >;
  for (const right of rights) byStatus[right.status].push(right.right);
  const hasCaseManagement = Object.values(answers.caseManagement ?? {}).some((value) => value !== undefined && value !== null);
  return {
    formId: form.id,
    formVersion: form.version,
    expressedRequest: answers.expressedRequest ?? null,
    answeredDomains: form.domains.filter((domain) => answers.needs[domain.code]).length,
    totalDomains: form.domains.length,
    needs,
    needsByLevel,
    needsByUrgency,
    healthTaggedDomains: form.domains
      .filter((domain) => domain.dataCategory === 'health' && answers.needs[domain.code])
      .map((domain) => domain.code),
    dataCategories: dataCategoriesOf(form, answers),
    rights: { total: rights.length, byStatus },
    caseManagement: hasCaseManagement ? caseManagementEligibility(caseManagementAnswersOf(answers)) : null,
  };
}

/** Rights of the catalogue usually detected for the identified needs: a checklist for the agent, never a decision. */
export function rightsToCheck(form: AssessmentForm, answers: AssessmentAnswers): RightCode[] {
  const domains = new Set(identifiedNeeds(form, answers).map((need) => need.domain));
  return rightCodes.filter((code) => (rightsCatalogue[code].domains as readonly string[]).some((domain) => domains.has(domain)));
}

/**
 * The rights to look at with the person: those of her identified needs' domains that her age and situation do
 * not exclude, each « suggéré » (the answers make it plausible) or « à vérifier » (naming what is missing).
 */
export function rightsForPerson(
  form: AssessmentForm,
  answers: AssessmentAnswers,
  age: number | null,
): Array<Exclude<RightVerdict, { verdict: 'excluded' }>> {
  const person = { age, situation: answers.situation ?? {} };
  return rightsToCheck(form, answers)
    .map((code) => rightVerdictOf(code, person))
    .filter((verdict): verdict is Exclude<RightVerdict, { verdict: 'excluded' }> => verdict.verdict !== 'excluded');
}

export function validatePotentialRights(input: unknown): Validation<PotentialRight[]> {
  const parsed = PotentialRights.safeParse(input, { error: frenchIssueMessage });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(parsed.error) };
}
