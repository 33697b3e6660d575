import type { RenderedNotice } from '@parcours/consent';
import {
  type ConsentGiver,
  type ConsentMethod,
  consentGivers,
  consentMethods,
  dataCategories,
  referralPurposes,
  withdrawalChannels,
  withdrawers,
} from '@parcours/vocabulary';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { getCase } from '../features/cases/get-case.ts';
import type { RecordConsentBody } from '../features/consents/consent.schemas.ts';
import { getConsentNotice } from '../features/consents/get-consent-notice.ts';
import { listPersonConsents } from '../features/consents/list-person-consents.ts';
import { recordConsent } from '../features/consents/record-consent.ts';
import { withdrawConsent } from '../features/consents/withdraw-consent.ts';
import { getOrganisationNames } from '../features/organisations/get-organisation-names.ts';
import { listTerritoryOrganisations } from '../features/organisations/list-territory-organisations.ts';
import { listCaseReferrals } from '../features/referrals/list-case-referrals.ts';
import { AppError } from '../http/app-error.ts';
import type { DeskCall } from '../http/desk-call.ts';
import { caseNotFound, consentNotFound } from '../http/not-found.ts';
import type { FieldErrors } from './form-errors.ts';
import { type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { listOf, primaryOf, textOf } from './sharing-context.ts';
import {
  consentGiverLabels,
  consentMethodLabels,
  dataCategoryLabels,
  parisEndOfDayOf,
  referralPurposeLabels,
  withdrawalChannelLabels,
  withdrawerLabels,
} from './sharing-labels.ts';
import { isUuid, printUrlOf, type SharingScope, scopeOf } from './sharing-scope.model.ts';
import { parisTodayOf } from './view-engine.ts';

const caseIdParam = z.object({ caseId: z.uuid() });
const consentIdParam = z.object({ consentId: z.uuid() });

/** The notice's exact text in paragraphs (blank lines) of lines: what is shown is what is hashed. */
function paragraphsOf(notice: RenderedNotice): string[][] {
  return notice.text.split('\n\n').map((paragraph) => paragraph.split('\n'));
}

const informationFields = [
  { field: 'infoQuoi', code: 'what_is_shared', label: 'Ce qui est partagé', hint: 'Les informations cochées, et elles seules.' },
  { field: 'infoQui', code: 'with_whom', label: 'Avec qui, et pourquoi', hint: 'Les structures nommées et les finalités.' },
  {
    field: 'infoMoyens',
    code: 'by_what_means',
    label: 'Par quel moyen',
    hint: 'Par Parcours, ou par un lien sécurisé de 8 jours ; rien par courriel.',
  },
  {
    field: 'infoSecurite',
    code: 'which_security',
    label: 'Avec quelle sécurité',
    hint: 'Accès tracés, retrait possible à tout moment, effet immédiat.',
  },
] as const;

type Decision = 'consent' | 'opposition';

interface ConsentForm {
  decision: Decision;
  values: Record<string, string>;
  errors: FieldErrors;
  general: string | null;
}

const emptyForm = (decision: Decision): ConsentForm => ({
  decision,
  values: { methode: '', donnePar: 'person', representant: '', finLe: '' },
  errors: {},
  general: null,
});

function formModelOf(prefix: string, form: ConsentForm, members: Array<{ personId: string; name: string }>) {
  const errors = form.errors;
  return {
    prefix,
    information: informationFields.map((item) => ({
      ...item,
      id: `${prefix}-${item.field}`,
      checked: form.values[item.field] === 'oui',
    })),
    informationError: errors.information ?? null,
    methods: consentMethods.map((method) => ({
      value: method,
      label: consentMethodLabels[method],
      checked: form.values.methode === method,
    })),
    methodError: errors.methode ?? null,
    givers: consentGivers.map((giver) => ({
      value: giver,
      label: consentGiverLabels[giver],
      checked: (form.values.donnePar || 'person') === giver,
    })),
    representatives: members.map((member) => ({ ...member, selected: form.values.representant === member.personId })),
    representativeError: errors.representant ?? null,
    expiry: form.values.finLe ?? '',
    expiryError: errors.finLe ?? null,
    general: form.general,
  };
}

async function renderConsents(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  call: DeskCall,
  caseId: string,
  input: { scope: SharingScope | null; form: ConsentForm | null; back: string; status?: number },
): Promise<void> {
  const detail = await getCase(deps.db, caseId, call);
  if (!detail) throw caseNotFound();
  const primary = primaryOf(detail);
  if (!primary.personId) throw caseNotFound();
  const referrals = (await listCaseReferrals(deps.db, caseId, call)) ?? [];
  const consents = (await listPersonConsents(deps.db, primary.personId, call)) ?? [];
  const drafts = referrals.filter((referral) => referral.status === 'draft');
  // By default, the scope the drafts need: their recipients, purposes and categories.
  const scope: SharingScope = input.scope ?? {
    recipients: [...new Set(drafts.map((referral) => referral.toOrganisationId))],
    purposes: referralPurposes.filter((purpose) => drafts.some((referral) => referral.purpose === purpose)),
    categories: dataCategories.filter((category) => drafts.some((referral) => referral.sharedCategories.includes(category))),
  };
  const territory = await listTerritoryOrganisations(deps.db, call.agent.territoryId);
  const caseOrganisations = [...new Set([...referrals.map((referral) => referral.toOrganisationId), ...scope.recipients])];
  const names = await getOrganisationNames(deps.db, [
    ...caseOrganisations,
    ...consents.flatMap((consent) => [...consent.recipientOrganisationIds, consent.collectedByOrganisationId]),
  ]);
  const complete = scope.recipients.length > 0 && scope.purposes.length > 0 && scope.categories.length > 0;
  const notice = complete
    ? (
        await getConsentNotice(
          deps.db,
          {
            recipientOrganisationIds: scope.recipients,
            purposes: scope.purposes,
            categories: scope.categories,
          },
          call,
        )
      ).notice
    : null;
  const oppositionNotice = (await getConsentNotice(deps.db, { recipientOrganisationIds: [], purposes: [], categories: [] }, call))
    .notice;
  const members = detail.members
    .filter((member) => member.personId !== primary.personId && member.familyName)
    .map((member) => ({
      personId: member.personId,
      name: `${member.givenNames ?? ''} ${member.familyName?.toUpperCase() ?? ''}`.trim(),
    }));
  const form = input.form;
  const consentForm = form?.decision === 'consent' ? form : emptyForm('consent');
  const oppositionForm = form?.decision === 'opposition' ? form : emptyForm('opposition');
  const now = call.clock.now();
  const summary = form
    ? [
        ...(form.general
          ? [{ anchor: `${form.decision === 'consent' ? 'consentement' : 'opposition'}-titre`, message: form.general }]
          : []),
        ...Object.entries(form.errors).map(([field, message]) => ({
          anchor: `${form.decision === 'consent' ? 'consentement' : 'opposition'}-${field === 'information' ? 'infoQuoi' : field === 'methode' ? `methode-${consentMethods[0]}` : field}`,
          message,
        })),
      ]
    : [];
  await renderPage(
    deps,
    req,
    res,
    'consents',
    {
      title: summary.length ? 'Erreur — consentement au partage' : 'Consentement au partage',
      caseId,
      back: input.back,
      personName: primary.name,
      summary,
      opposed: consents.some((consent) => consent.decision === 'opposition' && consent.active),
      scope: {
        recipients: caseOrganisations.map((id) => ({
          id,
          name: names.get(id) ?? id,
          checked: scope.recipients.includes(id),
          draft: drafts.some((referral) => referral.toOrganisationId === id),
        })),
        others: territory
          .filter((organisation) => organisation.id !== call.agent.organisationId && !caseOrganisations.includes(organisation.id))
          .map((organisation) => ({ id: organisation.id, name: organisation.name })),
        purposes: referralPurposes.map((purpose) => ({
          code: purpose,
          label: referralPurposeLabels[purpose],
          checked: scope.purposes.includes(purpose),
        })),
        categories: dataCategories.map((category) => ({
          code: category,
          label: dataCategoryLabels[category],
          checked: scope.categories.includes(category),
        })),
        complete,
        recipientIds: scope.recipients,
        purposeCodes: scope.purposes,
        categoryCodes: scope.categories,
      },
      notice: notice
        ? { version: notice.version, sha256: notice.sha256, paragraphs: paragraphsOf(notice), printUrl: printUrlOf(scope) }
        : null,
      oppositionNotice: {
        version: oppositionNotice.version,
        sha256: oppositionNotice.sha256,
        paragraphs: paragraphsOf(oppositionNotice),
      },
      consentForm: formModelOf('consentement', consentForm, members),
      oppositionForm: formModelOf('opposition', oppositionForm, members),
      today: parisTodayOf(now),
      consents: consents.map((consent) => ({
        id: consent.id,
        opposition: consent.decision === 'opposition',
        recipients: consent.recipientOrganisationIds.map((id) => names.get(id) ?? id),
        purposes: consent.purposes.map((purpose) => referralPurposeLabels[purpose]),
        categories: consent.categories.map((category) => dataCategoryLabels[category]),
        method: consentMethodLabels[consent.method],
        givenBy: consentGiverLabels[consent.givenBy],
        collectedAt: consent.collectedAt,
        collectedBy: names.get(consent.collectedByOrganisationId) ?? '',
        expiresAt: consent.expiresAt,
        withdrawnAt: consent.withdrawnAt,
        withdrawal: consent.withdrawnAt
          ? `${consent.withdrawnBy ? withdrawerLabels[consent.withdrawnBy] : ''}${consent.withdrawalChannel ? `, ${withdrawalChannelLabels[consent.withdrawalChannel].toLowerCase()}` : ''}`
          : null,
        active: consent.active,
        expired: !consent.active && !consent.withdrawnAt,
        // A part may be withdrawn when there is more than one of it: withdrawing the only one withdraws all.
        parts:
          consent.decision === 'consent'
            ? [
                ...partOptionsOf('destinataire', 'Structures', consent.recipientOrganisationIds, (id) => names.get(id) ?? id),
                ...partOptionsOf('finalite', 'Finalités', consent.purposes, (purpose) => referralPurposeLabels[purpose]),
                ...partOptionsOf('categorie', 'Informations', consent.categories, (category) => dataCategoryLabels[category]),
              ]
            : [],
      })),
      withdrawers: withdrawers.map((value) => ({ value, label: withdrawerLabels[value] })),
      channels: withdrawalChannels.map((value) => ({ value, label: withdrawalChannelLabels[value] })),
    },
    { status: input.status },
  );
}

/** The consent (or opposition) a posted form describes, or the French message of each missing field. */
function consentBodyOf(
  body: Record<string, unknown>,
  personId: string,
  caseId: string,
  now: Date,
): { ok: true; value: RecordConsentBody } | { ok: false; form: ConsentForm } {
  const decision: Decision = body.decision === 'opposition' ? 'opposition' : 'consent';
  const values: Record<string, string> = {
    methode: textOf(body.methode),
    donnePar: textOf(body.donnePar),
    representant: textOf(body.representant),
    finLe: textOf(body.finLe),
  };
  for (const item of informationFields) values[item.field] = textOf(body[item.field]);
  const errors: FieldErrors = {};
  const missing = informationFields.filter((item) => values[item.field] !== 'oui');
  if (missing.length > 0) {
    errors.information = `Cochez chacune des quatre informations une fois donnée à la personne ; manque : ${missing
      .map((item) => item.label.toLowerCase())
      .join(', ')}.`;
  }
  if (!consentMethods.includes(values.methode as ConsentMethod))
    errors.methode = 'Choisissez comment la personne a donné son accord.';
  const givenBy = (consentGivers.includes(values.donnePar as ConsentGiver) ? values.donnePar : 'person') as ConsentGiver;
  if (values.representant && (givenBy !== 'legal_representative' || !isUuid(values.representant))) {
    errors.representant = 'Un représentant se choisit seulement quand l’accord est donné par le représentant légal.';
  }
  let expiresAt: Date | null = null;
  if (decision === 'consent' && values.finLe) {
    expiresAt = parisEndOfDayOf(values.finLe);
    if (!expiresAt) errors.finLe = 'Saisissez une date valide, par exemple 30/06/2026.';
    else if (expiresAt.getTime() <= now.getTime()) errors.finLe = 'La date de fin doit être aujourd’hui ou plus tard.';
  }
  const version = Number(textOf(body.noticeVersion));
  const sha256 = textOf(body.noticeSha256);
  if (Object.keys(errors).length > 0) return { ok: false, form: { decision, values, errors, general: null } };
  const common = {
    personId,
    caseId,
    givenBy,
    ...(values.representant ? { representativePersonId: values.representant } : {}),
    method: values.methode as ConsentMethod,
    informationShown: { whatIsShared: true, withWhom: true, byWhatMeans: true, whichSecurity: true },
    notice: { version, sha256 },
  } as const;
  const scope = scopeOf(body);
  const value: RecordConsentBody =
    decision === 'opposition'
      ? { decision: 'opposition', ...common }
      : {
          decision: 'consent',
          ...common,
          recipientOrganisationIds: scope.recipients,
          purposes: scope.purposes,
          categories: scope.categories,
          ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
        };
  return { ok: true, value };
}

const backOf = (value: unknown) => (value === 'orientations' ? 'orientations' : 'consentements');

/**
 * Collecting a sharing consent for the person of a case: the scope (recipients, purposes, categories;
 * by default what the case's draft referrals need), the exact notice for that scope with its printable
 * version, the four pieces of information ticked one by one, the method; an opposition; the person's
 * consents with their withdrawal.
 */
export const caseConsentsPage = definePage({
  method: 'get',
  path: '/dossiers/:caseId/consentements',
  access: { kind: 'acting', permission: 'consent.record' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    const query = req.query as Record<string, unknown>;
    await renderConsents(deps, req, res, call, params.data.caseId, {
      scope: query.portee ? scopeOf(query) : null,
      form: null,
      back: backOf(query.retour),
    });
  },
});

export const recordConsentPage = definePage({
  method: 'post',
  path: '/dossiers/:caseId/consentements',
  access: { kind: 'acting', permission: 'consent.record' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    const caseId = params.data.caseId;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = backOf(body.retour);
    const detail = await getCase(deps.db, caseId, call);
    const personId = detail ? primaryOf(detail).personId : null;
    if (!personId) throw caseNotFound();
    const scope = scopeOf(body);
    const parsed = consentBodyOf(body, personId, caseId, call.clock.now());
    if (!parsed.ok) {
      await renderConsents(deps, req, res, call, caseId, { scope, form: parsed.form, back, status: 400 });
      return;
    }
    try {
      await recordConsent(deps.db, parsed.value, call);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'notice_mismatch' || error.code === 'validation_failed')) {
        const decision = parsed.value.decision;
        await renderConsents(deps, req, res, call, caseId, {
          scope,
          form: {
            ...emptyForm(decision),
            values: {
              ...emptyForm(decision).values,
              ...Object.fromEntries(Object.entries(body).map(([k, v]) => [k, textOf(v)])),
            },
            general:
              error.code === 'notice_mismatch'
                ? error.message
                : 'La notice montrée ne correspond pas à un partage complet : choisissez au moins une structure, une finalité et une information, affichez la notice, puis recommencez.',
          },
          back,
          status: error.code === 'notice_mismatch' ? 422 : 400,
        });
        return;
      }
      throw error;
    }
    setFlash(req, {
      kind: 'success',
      message:
        parsed.value.decision === 'opposition'
          ? 'Opposition enregistrée : plus aucun partage non obligatoire n’est possible, et les structures concernées sont prévenues.'
          : 'Consentement enregistré. Les orientations qu’il couvre peuvent être envoyées.',
    });
    res.redirect(
      303,
      back === 'orientations'
        ? `/dossiers/${caseId}/orientations-partenaires`
        : `/dossiers/${caseId}/consentements#consentements`,
    );
  },
});

/** The parts of a consent a withdrawal may name, as checkbox groups (none ticked: the whole consent). */
function partOptionsOf<T extends string>(field: string, legend: string, values: readonly T[], labelOf: (value: T) => string) {
  if (values.length < 2) return [];
  return [{ field, legend, options: values.map((value) => ({ value, label: labelOf(value) })) }];
}

/**
 * Withdrawing a consent (or lifting an opposition), whole or one recipient, purpose or category at a time:
 * effective at the partners' next request; the rest stays in force.
 */
export const withdrawConsentPage = definePage({
  method: 'post',
  path: '/consentements/:consentId/retrait',
  access: { kind: 'acting', permission: 'consent.withdraw' },
  handle: async ({ req, res, deps, call }) => {
    const params = consentIdParam.safeParse(req.params);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const caseId = z.uuid().safeParse(textOf(body.dossier));
    if (!params.success || !caseId.success) throw consentNotFound();
    const form = z
      .object({ retirePar: z.enum(withdrawers), canal: z.enum(withdrawalChannels) })
      .safeParse({ retirePar: textOf(body.retirePar), canal: textOf(body.canal) });
    if (!form.success) {
      setFlash(req, { kind: 'error', message: 'Indiquez qui retire son accord et par quel canal, puis recommencez.' });
    } else {
      try {
        const withdrawn = await withdrawConsent(
          deps.db,
          params.data.consentId,
          {
            withdrawnBy: form.data.retirePar,
            channel: form.data.canal,
            only: {
              recipientOrganisationIds: listOf(body.destinataire).filter(isUuid),
              purposes: referralPurposes.filter((purpose) => listOf(body.finalite).includes(purpose)),
              categories: dataCategories.filter((category) => listOf(body.categorie).includes(category)),
            },
          },
          call,
        );
        setFlash(req, {
          kind: 'success',
          message:
            withdrawn.decision === 'opposition'
              ? 'Opposition levée.'
              : withdrawn.replacedBy
                ? `Retrait enregistré : le reste du consentement demeure en vigueur.${withdrawn.affectedReferralIds.length > 0 ? ` ${withdrawn.affectedReferralIds.length} orientation(s) ne sont plus couvertes : leurs structures n’y ont plus accès et en sont prévenues.` : ''}`
                : 'Consentement retiré : les structures concernées n’ont plus accès au dossier dès maintenant, et elles en sont prévenues.',
        });
      } catch (error) {
        if (!(error instanceof AppError && (error.code === 'consent_already_withdrawn' || error.code === 'validation_failed')))
          throw error;
        setFlash(req, { kind: 'warning', message: error.message });
      }
    }
    res.redirect(303, `/dossiers/${caseId.data}/consentements#consentements`);
  },
});

export const consentsPages: AnyPageRoute[] = [caseConsentsPage, recordConsentPage, withdrawConsentPage];
