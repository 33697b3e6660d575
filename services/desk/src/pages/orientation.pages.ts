import { orientationChoiceReasonLabels } from '@parcours/orientation';
import {
  type OrientationChoiceReason,
  orientationChoiceReasons,
  type ReferralPurpose,
  referralPurposes,
} from '@parcours/vocabulary';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { getCase } from '../features/cases/get-case.ts';
import type { DirectoryCache } from '../features/directory/directory-cache.ts';
import { chooseOrientation } from '../features/orientation/choose-orientation.ts';
import { getOrientationSuggestions } from '../features/orientation/get-orientation-suggestions.ts';
import { listOrientationChoices } from '../features/orientation/list-orientation-choices.ts';
import type { OrientationSuggestions } from '../features/orientation/orientation.schemas.ts';
import { referralPurposeOf } from '../features/orientation/referral-purpose.ts';
import { AppError } from '../http/app-error.ts';
import type { DeskCall } from '../http/desk-call.ts';
import { caseNotFound } from '../http/not-found.ts';
import {
  type DirectoryQuery,
  directoryFiltersOf,
  directoryQueryOf,
  referralRouteOf,
  searchDirectoryPage,
} from './directory-search.model.ts';
import { stateLabel } from './labels.ts';
import { type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { referralPurposeLabels } from './sharing-labels.ts';
import { parisTodayOf } from './view-engine.ts';

const caseIdParam = z.object({ caseId: z.uuid() });

const chooseForm = z.object({
  serviceId: z.string().trim().min(1).max(200),
  finalite: z.enum(referralPurposes).optional(),
  motif: z.enum(orientationChoiceReasons).optional(),
  precision: z.string().trim().max(500).optional(),
});

/** A refused choice, shown again on the form of the service it was about. */
interface ChoiceError {
  serviceId: string;
  fields: Record<string, string>;
  reasonCode: string;
  reasonText: string;
}

function searchQueryOf(query: DirectoryQuery): string {
  const params = new URLSearchParams();
  if (query.bouquet) params.set('bouquet', query.bouquet);
  if (query.commune) params.set('commune', query.commune);
  if (query.texte) params.set('texte', query.texte);
  return params.toString();
}

const capitalised = (value: string) => `${value.charAt(0).toUpperCase()}${value.slice(1)}.`;

function reasonOptionsOf(selected: string | null) {
  return orientationChoiceReasons.map((code) => ({
    code,
    label: orientationChoiceReasonLabels[code],
    selected: selected === code,
  }));
}

/** The choices of the case, each with its referral's current state. */
async function choicesOf(deps: PagesDependencies, directories: DirectoryCache, caseId: string, call: DeskCall) {
  const list = await listOrientationChoices(deps.db, directories, caseId, call);
  if (!list) throw caseNotFound();
  const items = list.items.map((item) => {
    const referral = item.referralState;
    return {
      serviceId: item.serviceId,
      serviceName: item.service?.name ?? `Service retiré de l’annuaire (${item.serviceId})`,
      organisationName: item.service?.organisationName ?? null,
      inDirectory: item.service !== null,
      suggested: item.suggested,
      rank: item.suggestionRank,
      reason: item.reasonCode ? orientationChoiceReasonLabels[item.reasonCode as OrientationChoiceReason] : null,
      reasonText: item.reasonText,
      chosenAt: item.chosenAt,
      referral: referral
        ? { status: stateLabel(referral.status, true) || referral.status, ended: referral.closedAt !== null }
        : null,
      // Same rule as the use case: a live choice blocks choosing the service again.
      live: referral ? referral.closedAt === null : item.referralId === null,
    };
  });
  return { items, liveServiceIds: new Set(items.filter((item) => item.live).map((item) => item.serviceId)) };
}

async function suggestionsOf(deps: PagesDependencies, directories: DirectoryCache, caseId: string, call: DeskCall) {
  try {
    return { result: await getOrientationSuggestions(deps.db, directories, caseId, {}, call), missing: null };
  } catch (error) {
    if (error instanceof AppError && (error.code === 'assessment_required' || error.code === 'commune_required')) {
      return { result: null, missing: { code: error.code, message: error.message } };
    }
    throw error;
  }
}

async function renderOrientation(
  deps: PagesDependencies,
  directories: DirectoryCache,
  req: Request,
  res: Response,
  call: DeskCall,
  caseId: string,
  input: { query: DirectoryQuery; choiceError: ChoiceError | null; status?: number },
): Promise<void> {
  const detail = await getCase(deps.db, caseId, call);
  if (!detail) throw caseNotFound();
  const { result, missing } = await suggestionsOf(deps, directories, caseId, call);
  const choices = await choicesOf(deps, directories, caseId, call);
  const error = input.choiceError;
  const errorFor = (serviceId: string) => (error?.serviceId === serviceId ? error : null);
  const suggestions = (result?.suggestions ?? []).map((suggestion: OrientationSuggestions['suggestions'][number]) => {
    const own = errorFor(suggestion.serviceId);
    return {
      rank: suggestion.rank,
      serviceId: suggestion.serviceId,
      name: suggestion.service.name,
      organisationName: suggestion.service.organisationName,
      reasons: suggestion.reasons,
      referable: suggestion.service.referable,
      route: referralRouteOf(suggestion.service.referralRoute),
      purposes: purposeOptionsOf(
        referralPurposeOf({ needDomain: suggestion.matchedNeeds[0]?.domain, bundles: suggestion.service.bundles }),
      ),
      acceptsReferrals: suggestion.service.acceptsReferrals,
      chosen: choices.liveServiceIds.has(suggestion.serviceId),
      error: own ? Object.values(own.fields).join(' ') : null,
    };
  });
  const suggestedIds = new Set(suggestions.map((suggestion) => suggestion.serviceId));
  const searched = Boolean(input.query.bouquet || input.query.commune || input.query.texte);
  const found = searched
    ? await searchDirectoryPage(directories, call.agent, { ...input.query, page: 1 }, 10, parisTodayOf(call.clock.now()))
    : null;
  const primary = detail.members.find((member) => member.role === 'primary') ?? detail.members[0];
  await renderPage(
    deps,
    req,
    res,
    'orientation',
    {
      title: error ? 'Erreur — orientations du dossier' : 'Orientations du dossier',
      caseId,
      searchAction: `/dossiers/${caseId}/orientation`,
      personName:
        primary?.familyName && primary.givenNames
          ? `${primary.givenNames} ${primary.familyName.toUpperCase()}`
          : 'Personne anonymisée',
      closed: detail.closed,
      communeName: result?.communeName ?? null,
      rulesVersion: result?.rulesVersion ?? null,
      missing,
      missingAssessment: missing?.code === 'assessment_required',
      suggestions,
      choices: choices.items,
      summary: error
        ? Object.entries(error.fields).map(([field, message]) => ({
            anchor: !found?.items.some((service) => service.id === error.serviceId)
              ? `choisir-suggestion-${error.serviceId}`
              : field === 'precision'
                ? `precision-${error.serviceId}`
                : `motif-${error.serviceId}`,
            message,
          }))
        : [],
      search: {
        filters: await directoryFiltersOf(directories, call.agent, input.query),
        searched,
        total: found?.total ?? 0,
        results: (found?.items ?? []).map((service) => {
          const own = errorFor(service.id);
          return {
            ...service,
            searchQuery: searchQueryOf(input.query),
            suggested: suggestedIds.has(service.id),
            purposes: purposeOptionsOf(service.purpose),
            chosen: choices.liveServiceIds.has(service.id),
            reasons: reasonOptionsOf(own?.reasonCode ?? null),
            reasonText: own?.reasonText ?? '',
            motifError: own?.fields.motif ?? null,
            precisionError: own?.fields.precision ?? null,
          };
        }),
      },
    },
    { status: input.status },
  );
}

/** The purposes a referral may have, the one the need suggests selected. */
function purposeOptionsOf(selected: ReferralPurpose) {
  return referralPurposes.map((code) => ({ code, label: referralPurposeLabels[code], selected: code === selected }));
}

/** Suggestions with their reasons, choices (one form each; outside the suggestions through a search, with a reason), and the choices made with their draft referrals. */
export const orientationPage = definePage({
  method: 'get',
  path: '/dossiers/:caseId/orientation',
  access: { kind: 'acting', permission: 'orientation.suggest' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    await renderOrientation(deps, deps.directory, req, res, call, params.data.caseId, {
      query: directoryQueryOf(req.query),
      choiceError: null,
    });
  },
});

/**
 * One choice. Success and « already chosen » both redirect (post/redirect/get), so a double submit
 * never writes twice: the use case refuses the second one on the locked case row.
 */
export const chooseOrientationPage = definePage({
  method: 'post',
  path: '/dossiers/:caseId/orientations',
  access: { kind: 'acting', permission: 'orientation.choose' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    const caseId = params.data.caseId;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const raw = {
      serviceId: typeof body.serviceId === 'string' ? body.serviceId : '',
      motif: typeof body.motif === 'string' && body.motif ? body.motif : undefined,
      finalite: typeof body.finalite === 'string' && body.finalite ? body.finalite : undefined,
      precision: typeof body.precision === 'string' && body.precision.trim() ? body.precision : undefined,
    };
    const form = chooseForm.safeParse(raw);
    if (!form.success) throw new AppError('validation_failed', 'Le formulaire est incomplet. Rechargez la page et recommencez.');
    const back = typeof body.recherche === 'string' ? body.recherche : '';
    const query = directoryQueryOf(Object.fromEntries(new URLSearchParams(back)));
    try {
      const chosen = await chooseOrientation(
        deps.db,
        deps.directory,
        caseId,
        {
          serviceId: form.data.serviceId,
          ...(form.data.finalite ? { purpose: form.data.finalite } : {}),
          ...(form.data.motif ? { reasonCode: form.data.motif } : {}),
          ...(form.data.precision ? { reasonText: form.data.precision } : {}),
        },
        call,
      );
      if (!chosen) throw caseNotFound();
      const name = chosen.choice.service?.name ?? form.data.serviceId;
      setFlash(req, {
        kind: 'success',
        message: chosen.referral
          ? `${name} : choix enregistré, orientation préparée en brouillon.`
          : `${name} : choix enregistré. ${chosen.noReferralReason ?? ''}`.trim(),
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'orientation_already_chosen') {
        setFlash(req, { kind: 'warning', message: error.message });
      } else if (error instanceof AppError && error.code === 'validation_failed') {
        const fields: Record<string, string> = {};
        for (const issue of error.details.errors ?? []) {
          const field = issue.field === 'reasonText' ? 'precision' : 'motif';
          fields[field] ??= issue.field === 'serviceId' ? 'Ce service n’est plus dans l’annuaire.' : capitalised(issue.message);
        }
        await renderOrientation(deps, deps.directory, req, res, call, caseId, {
          query,
          choiceError: { serviceId: form.data.serviceId, fields, reasonCode: raw.motif ?? '', reasonText: raw.precision ?? '' },
          status: 400,
        });
        return;
      } else {
        throw error;
      }
    }
    res.redirect(303, `/dossiers/${caseId}/orientation#choix`);
  },
});

export const orientationPages: AnyPageRoute[] = [orientationPage, chooseOrientationPage];
