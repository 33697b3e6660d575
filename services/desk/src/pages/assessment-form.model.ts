import {
  type AssessmentForm,
  activityKinds,
  activityLabels,
  type CaseManagementAnswers,
  emptyCaseManagementAnswers,
  householdKinds,
  householdLabels,
  type NeedLevel,
  needLevelLabels,
  needLevelRank,
  needLevels,
  type RightCode,
  type RightVerdict,
  resourceBands,
  resourceLabels,
  rightCodes,
  rightsCatalogue,
  type SituationAnswers,
  type Urgency,
  urgencies,
  urgencyScale,
} from '@parcours/assessment';
import type { PotentialRightStatus } from '@parcours/vocabulary';
import type { AssessmentView, SaveAssessmentDraftBody } from '../features/assessments/assessment.schemas.ts';
import type { FieldErrors } from './form-errors.ts';

/**
 * The assessment form as the page holds it: what the agent typed or chose, domain by domain, before
 * (or after) it is saved. Built from the stored draft, or from a submitted form to show it again with
 * its errors.
 */
export interface AssessmentFormState {
  expressedText: string;
  expressedDomains: Set<string>;
  needs: Record<string, { level?: NeedLevel; urgency?: Urgency; note: string }>;
  maia: Partial<Record<keyof CaseManagementAnswers, MaiaValue>>;
  rights: Set<RightCode>;
  situation: SituationAnswers;
}

/** The situation's three questions: form field, choices and their French labels. */
const situationQuestions = [
  {
    key: 'household',
    legend: 'Composition du foyer',
    choices: householdKinds,
    labels: householdLabels as Record<string, string>,
  },
  { key: 'activity', legend: 'Activité', choices: activityKinds, labels: activityLabels as Record<string, string> },
  {
    key: 'resources',
    legend: 'Ressources du foyer par mois',
    choices: resourceBands,
    labels: resourceLabels as Record<string, string>,
  },
] as const;

export type MaiaValue = 'oui' | 'non' | 'inconnu';

export const maiaKeys = Object.keys(emptyCaseManagementAnswers) as Array<keyof CaseManagementAnswers>;

export const maiaQuestions: Record<keyof CaseManagementAnswers, { label: string; hint: string }> = {
  functionalProblems: {
    label: 'Problèmes d’autonomie fonctionnelle',
    hint: 'Difficultés pour les actes de la vie quotidienne : se laver, s’habiller, se déplacer, préparer les repas.',
  },
  medicalProblems: { label: 'Problèmes médicaux', hint: 'Maladie chronique, état de santé instable, soins complexes.' },
  decisionMakingProblems: {
    label: 'Problèmes d’autonomie décisionnelle',
    hint: 'Troubles cognitifs, difficulté à décider pour soi ou à mettre en œuvre ses décisions.',
  },
  helpInPlaceInsufficient: {
    label: 'Les aides et soins en place sont insuffisants ou inadaptés',
    hint: 'Au regard de la situation, les interventions actuelles ne suffisent pas.',
  },
  closeCircleAbleToCoordinate: {
    label: 'Un proche est en mesure de coordonner les aides',
    hint: 'Famille ou entourage capable d’organiser et de suivre les interventions.',
  },
};

const maiaValueOf = (value: boolean | null | undefined): MaiaValue | undefined =>
  value === true ? 'oui' : value === false ? 'non' : value === null ? 'inconnu' : undefined;

/** The stored draft (or the case's words when the request was never written in it), as the form shows it. */
export function formStateOfView(view: AssessmentView, caseExpressedRequest: string): AssessmentFormState {
  const needs: AssessmentFormState['needs'] = {};
  for (const [code, answer] of Object.entries(view.answers.needs)) {
    needs[code] = { level: answer.level, ...(answer.urgency ? { urgency: answer.urgency } : {}), note: answer.note ?? '' };
  }
  const maia: AssessmentFormState['maia'] = {};
  for (const key of maiaKeys) {
    const value = maiaValueOf(view.answers.caseManagement?.[key]);
    if (value) maia[key] = value;
  }
  return {
    expressedText: view.answers.expressedRequest?.text ?? caseExpressedRequest,
    expressedDomains: new Set(view.answers.expressedRequest?.domains ?? []),
    needs,
    maia,
    rights: new Set(view.potentialRights.map((right) => right.right)),
    situation: { ...view.answers.situation },
  };
}

const text = (body: Record<string, unknown>, key: string): string => {
  const value = body[key];
  return typeof value === 'string' ? value.trim() : '';
};
const list = (body: Record<string, unknown>, key: string): string[] => {
  const value = body[key];
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : typeof value === 'string' ? [value] : [];
};

/**
 * Reads a submitted assessment form. Unknown values (a tampered form) are dropped; a note or an urgency
 * without a need level is an error of the page, reported on the level.
 */
export function formStateOfBody(form: AssessmentForm, rawBody: unknown): { state: AssessmentFormState; errors: FieldErrors } {
  const body = (rawBody ?? {}) as Record<string, unknown>;
  const domainCodes = new Set(form.domains.map((domain) => domain.code));
  const errors: FieldErrors = {};
  const needs: AssessmentFormState['needs'] = {};
  for (const domain of form.domains) {
    const level = text(body, `niveau.${domain.code}`);
    const urgency = text(body, `urgence.${domain.code}`);
    const note = text(body, `note.${domain.code}`);
    const validLevel = (needLevels as readonly string[]).includes(level) ? (level as NeedLevel) : undefined;
    const validUrgency = (urgencies as readonly string[]).includes(urgency) ? (urgency as Urgency) : undefined;
    if (!validLevel && !validUrgency && !note) continue;
    needs[domain.code] = {
      ...(validLevel ? { level: validLevel } : {}),
      ...(validUrgency ? { urgency: validUrgency } : {}),
      note,
    };
    if (!validLevel) errors[`answers.needs.${domain.code}.level`] = `niveau de besoin à choisir pour « ${domain.shortLabel} »`;
  }
  const maia: AssessmentFormState['maia'] = {};
  for (const key of maiaKeys) {
    const value = text(body, `maia.${key}`);
    if (value === 'oui' || value === 'non' || value === 'inconnu') maia[key] = value;
  }
  return {
    state: {
      expressedText: text(body, 'demande'),
      expressedDomains: new Set(list(body, 'demandeDomaines').filter((code) => domainCodes.has(code))),
      needs,
      maia,
      rights: new Set(list(body, 'droits').filter((code): code is RightCode => (rightCodes as readonly string[]).includes(code))),
      situation: Object.fromEntries(
        situationQuestions.flatMap((question) => {
          const value = text(body, `situation.${question.key}`);
          return (question.choices as readonly string[]).includes(value) ? [[question.key, value]] : [];
        }),
      ) as SituationAnswers,
    },
    errors,
  };
}

/**
 * What `saveAssessmentDraft` receives from the page: every domain with a level (a domain's answer is
 * replaced whole, so a cleared note is removed), the urgency only with a need, the MAIA answers given,
 * and the rights ticked (a right already followed keeps its follow-up).
 */
export function draftBodyOf(state: AssessmentFormState, stored: AssessmentView): SaveAssessmentDraftBody {
  const needs: NonNullable<NonNullable<SaveAssessmentDraftBody['answers']>['needs']> = {};
  for (const [code, answer] of Object.entries(state.needs)) {
    if (!answer.level) continue;
    needs[code] = {
      level: answer.level,
      ...(answer.level !== 'none' && answer.urgency ? { urgency: answer.urgency } : {}),
      ...(answer.note ? { note: answer.note } : {}),
    };
  }
  const caseManagement: Partial<CaseManagementAnswers> = {};
  for (const [key, value] of Object.entries(state.maia) as Array<[keyof CaseManagementAnswers, MaiaValue]>) {
    caseManagement[key] = value === 'oui' ? true : value === 'non' ? false : null;
  }
  const followed = new Map(stored.potentialRights.map((right) => [right.right, right]));
  return {
    answers: {
      expressedRequest: { text: state.expressedText, domains: [...state.expressedDomains] },
      needs,
      ...(Object.keys(caseManagement).length > 0 ? { caseManagement } : {}),
      ...(Object.keys(state.situation).length > 0 ? { situation: state.situation } : {}),
    },
    potentialRights: [...state.rights].map((code) => followed.get(code) ?? { right: code, status: 'identified' as const }),
  };
}

const capitalised = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
const sentence = (value: string) => {
  const capital = capitalised(value.trim());
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** The element an error links to: the first radio of a group, or the field itself. */
export function anchorOfField(field: string, form: AssessmentForm): string {
  const parts = field.split('.');
  if (parts[0] === 'answers') parts.shift();
  const [head, code, leaf] = parts;
  if (head === 'expressedRequest') return leaf === undefined && code !== 'text' ? 'demande-domaines' : 'demande-texte';
  if (head === 'needs' && code && form.domains.some((domain) => domain.code === code)) {
    if (leaf === 'urgency') return `urgence-${code}-${urgencies[0]}`;
    if (leaf === 'note') return `note-${code}`;
    return `niveau-${code}-${needLevels[0]}`;
  }
  if (head === 'caseManagement' && code) return `maia-${code}-oui`;
  if (head?.startsWith('potentialRights')) return `droit-${rightCodes[0]}`;
  return 'evaluation-formulaire';
}

/** Field errors keyed by field (the first message of each), and the summary's links, in the form's order. */
export function errorsOf(
  issues: ReadonlyArray<{ field: string; message: string }>,
  form: AssessmentForm,
): { byField: Record<string, string>; summary: Array<{ anchor: string; message: string }> } {
  const byField: Record<string, string> = {};
  const summary: Array<{ anchor: string; message: string }> = [];
  for (const issue of issues) {
    const field = issue.field.replace(/^answers\./, '');
    const message = sentence(issue.message);
    byField[field] ??= message;
    summary.push({ anchor: anchorOfField(issue.field, form), message });
  }
  return { byField, summary };
}

const levelLabel = (level: NeedLevel) => capitalised(needLevelLabels[level]);
export const urgencyLabels = Object.fromEntries(urgencyScale.map((step) => [step.code, step.label])) as Record<Urgency, string>;
const urgencyDelays = Object.fromEntries(urgencyScale.map((step) => [step.code, step.delay])) as Record<Urgency, string>;

/** Domains whose moderate or severe need makes the MAIA screening required (the form's health-tagged ones). */
export function maiaRequired(form: AssessmentForm, state: AssessmentFormState): boolean {
  return form.domains.some((domain) => {
    const level = state.needs[domain.code]?.level;
    return domain.dataCategory === 'health' && level !== undefined && needLevelRank[level] >= needLevelRank.moderate;
  });
}

/** Everything the form page shows. */
export function assessmentFormModelOf(
  form: AssessmentForm,
  state: AssessmentFormState,
  errors: Record<string, string>,
  rightVerdicts: ReadonlyArray<Exclude<RightVerdict, { verdict: 'excluded' }>>,
  followedRights: ReadonlyMap<RightCode, PotentialRightStatus>,
) {
  const verdicts = new Map(rightVerdicts.map((verdict) => [verdict.right, verdict]));
  const sections = form.domains.map((domain) => {
    const answer = state.needs[domain.code];
    const levelError = errors[`needs.${domain.code}`] ?? errors[`needs.${domain.code}.level`] ?? null;
    const urgencyError = errors[`needs.${domain.code}.urgency`] ?? null;
    const noteError = errors[`needs.${domain.code}.note`] ?? null;
    return {
      code: domain.code,
      label: domain.label,
      description: domain.description,
      prompts: domain.prompts,
      health: domain.dataCategory === 'health',
      answered: Boolean(answer?.level),
      levels: needLevels.map((level) => ({ value: level, label: levelLabel(level), checked: answer?.level === level })),
      urgencies: urgencyScale.map((step) => ({
        value: step.code,
        label: step.label,
        hint: step.delay,
        checked: answer?.urgency === step.code,
      })),
      note: answer?.note ?? '',
      levelError,
      urgencyError,
      noteError,
      hasError: Boolean(levelError || urgencyError || noteError),
    };
  });
  const answered = sections.filter((section) => section.answered).length;
  const required = maiaRequired(form, state);
  return {
    formTitle: form.title,
    formVersion: form.version,
    expressed: {
      text: state.expressedText,
      error: errors['expressedRequest.text'] ?? errors.expressedRequest ?? null,
      domains: form.domains.map((domain) => ({
        code: domain.code,
        label: domain.label,
        checked: state.expressedDomains.has(domain.code),
      })),
    },
    sections,
    answered,
    total: sections.length,
    maia: {
      shown: required || Object.keys(state.maia).length > 0,
      required,
      questions: maiaKeys.map((key) => ({
        key,
        ...maiaQuestions[key],
        error: errors[`caseManagement.${key}`] ?? null,
        options: (['oui', 'non', 'inconnu'] as const).map((value) => ({
          value,
          label: value === 'oui' ? 'Oui' : value === 'non' ? 'Non' : 'Ne sait pas encore',
          checked: state.maia[key] === value,
        })),
      })),
    },
    situation: situationQuestions.map((question) => ({
      key: question.key,
      legend: question.legend,
      options: question.choices.map((value) => ({
        value,
        label: question.labels[value],
        checked: (state.situation as Record<string, string | undefined>)[question.key] === value,
      })),
    })),
    // The rights of the needs' domains first: « suggéré » when the situation makes them plausible, « à vérifier »
    // with what is missing; those the person's age or situation excludes are not offered as suggestions.
    rights: [...rightCodes]
      .sort((a, b) => rightOrder(verdicts.get(a)) - rightOrder(verdicts.get(b)))
      .map((code) => ({
        code,
        label: rightsCatalogue[code].label,
        name: rightsCatalogue[code].name,
        body: rightsCatalogue[code].instructedBy.body,
        checked: state.rights.has(code),
        suggested: verdicts.get(code)?.verdict === 'suggested',
        toCheck: verdicts.get(code)?.verdict === 'to_check' ? (verdicts.get(code)?.missing ?? []).join(', ') : null,
        check: verdicts.has(code) ? ((rightsCatalogue[code] as { check?: { label: string; url: string } }).check ?? null) : null,
        // A right already followed beyond « identified » cannot be removed from the draft by unticking it.
        followed: (followedRights.get(code) ?? 'identified') !== 'identified',
      })),
    rightsError: Object.entries(errors).find(([field]) => field.startsWith('potentialRights'))?.[1] ?? null,
  };
}

const rightOrder = (verdict: { verdict: string } | undefined) =>
  verdict?.verdict === 'suggested' ? 0 : verdict?.verdict === 'to_check' ? 1 : 2;

export { urgencyDelays };
