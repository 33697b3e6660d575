import { EngineError } from '@parcours/engine';
import { closureReasons, codesOf, receptionChannels } from '@parcours/vocabulary';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { getCasePage } from '../features/cases/get-case-page.ts';
import { openCase } from '../features/cases/open-case.ts';
import { sendCaseEvent } from '../features/cases/send-case-event.ts';
import { attachContactToCase } from '../features/contacts/record-contact.ts';
import { getOrganisationNames } from '../features/organisations/get-organisation-names.ts';
import { getPerson } from '../features/persons/get-person.ts';
import { AppError } from '../http/app-error.ts';
import type { DeskCall } from '../http/desk-call.ts';
import { caseNotFound, personNotFound } from '../http/not-found.ts';
import { type AttemptedAction, type CasePageInput, casePageModelOf } from './case-page.model.ts';
import { type FieldErrors, parseForm } from './form-errors.ts';
import { channelLabels, timelineEventLabel } from './labels.ts';
import { type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';

const caseIdParam = z.object({ caseId: z.uuid() });
const personQuery = z.object({ personne: z.uuid() });

const openCaseForm = z.object({
  personId: z.uuid(),
  channel: z.enum(receptionChannels),
  expressedRequest: z.string().min(1).max(5000),
});
const openCaseFields = ['personId', 'channel', 'expressedRequest'] as const;

const eventForm = z.object({
  type: z.string().min(1).max(64),
  expectedRevision: z.coerce.number().int().min(0),
  reason: z.string().max(64).optional(),
});

/** The event an agent's form describes, in the machine's vocabulary; a reason only where one is asked. */
function eventOf(form: z.infer<typeof eventForm>): { event: Record<string, unknown>; missingReason: string | null } {
  if (form.type === 'CLOSE') {
    const reason = z.enum(codesOf(closureReasons)).safeParse(form.reason);
    return reason.success
      ? { event: { type: 'CLOSE', reason: reason.data }, missingReason: null }
      : { event: {}, missingReason: 'Choisissez le motif de clôture.' };
  }
  if (form.type === 'SUSPEND') {
    const reason = z.enum(['lost_contact', 'person_request']).safeParse(form.reason);
    return reason.success
      ? { event: { type: 'SUSPEND', reason: reason.data }, missingReason: null }
      : { event: {}, missingReason: 'Choisissez le motif de suspension.' };
  }
  return { event: { type: form.type }, missingReason: null };
}

async function renderCase(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  caseId: string,
  call: DeskCall,
  extra: Pick<CasePageInput, 'conflict' | 'actionError'> & { status?: number },
): Promise<void> {
  const page = await getCasePage(deps.db, caseId, call);
  if (!page) throw caseNotFound();
  const model = casePageModelOf({ ...page, conflict: extra.conflict, actionError: extra.actionError });
  await renderPage(
    deps,
    req,
    res,
    'case',
    { title: `Dossier — étape ${model.stageLabel}`, case: model },
    { status: extra.status },
  );
}

async function renderNewCase(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  call: DeskCall,
  personId: string,
  form: { values: Record<string, string>; errors: FieldErrors; status?: number },
) {
  const person = await getPerson(deps.db, personId, call);
  if (!person) throw personNotFound();
  const organisationName = (await getOrganisationNames(deps.db, [call.agent.organisationId])).get(call.agent.organisationId);
  await renderPage(
    deps,
    req,
    res,
    'new-case',
    {
      title: 'Ouvrir un dossier',
      person: { id: person.id, name: `${person.givenNames} ${person.familyName.toUpperCase()}`, birthDate: person.birthDate },
      entryOrganisation: organisationName ?? '—',
      channels: receptionChannels.map((channel) => ({
        value: channel,
        label: channelLabels[channel],
        checked: form.values.channel === channel,
      })),
      values: form.values,
      errors: form.errors,
      summary: Object.entries(form.errors).map(([field, message]) => ({
        anchor: field === 'channel' ? 'canal-physical' : `dossier-${field}`,
        message,
      })),
      pendingContact: Boolean(req.session.pendingContactId),
    },
    { nav: 'persons', status: form.status },
  );
}

export const newCasePage = definePage({
  method: 'get',
  path: '/dossiers/nouveau',
  access: { kind: 'acting', permission: 'case.open' },
  handle: async ({ req, res, deps, call }) => {
    const query = personQuery.safeParse(req.query);
    if (!query.success) {
      res.redirect(303, '/personnes');
      return;
    }
    await renderNewCase(deps, req, res, call, query.data.personne, {
      values: { personId: query.data.personne, channel: '', expressedRequest: '' },
      errors: {},
    });
  },
});

export const openCasePage = definePage({
  method: 'post',
  path: '/dossiers',
  access: { kind: 'acting', permission: 'case.open' },
  handle: async ({ req, res, deps, call }) => {
    const form = parseForm(openCaseForm, req.body, openCaseFields);
    if (!form.ok) {
      const personId = z.uuid().safeParse(form.values.personId);
      if (!personId.success) throw personNotFound();
      const errors = { ...form.errors };
      if (errors.channel) errors.channel = 'Choisissez le canal par lequel la personne s’est adressée à vous.';
      if (errors.expressedRequest && !form.values.expressedRequest) {
        errors.expressedRequest = 'Notez la demande, avec les mots de la personne.';
      }
      await renderNewCase(deps, req, res, call, personId.data, { values: form.values, errors, status: 400 });
      return;
    }
    const opened = await openCase(
      deps.db,
      {
        channel: form.data.channel,
        expressedRequest: form.data.expressedRequest,
        members: [{ personId: form.data.personId, role: 'primary' }],
      },
      call,
    );
    const contactId = req.session.pendingContactId;
    if (contactId) {
      delete req.session.pendingContactId;
      await attachContactToCase(deps.db, { contactId, caseId: opened.id, personId: form.data.personId }, call);
    }
    setFlash(req, { kind: 'success', message: 'Le dossier est ouvert, à l’étape Accueil.' });
    res.redirect(303, `/dossiers/${opened.id}`);
  },
});

export const casePage = definePage({
  method: 'get',
  path: '/dossiers/:caseId',
  access: { kind: 'acting', permission: 'case.read' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    await renderCase(deps, req, res, params.data.caseId, call, { conflict: null, actionError: null });
  },
});

/**
 * One journey event from a case page's form. Success redirects to the case (post/redirect/get). A
 * stale revision is never retried silently: the page comes back with what changed since the agent's
 * reading, and the same action offered again on the current revision if it is still allowed.
 */
export const sendCaseEventPage = definePage({
  method: 'post',
  path: '/dossiers/:caseId/evenements',
  access: { kind: 'acting', permission: 'case.transition' },
  handle: async ({ req, res, deps, call }) => {
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw caseNotFound();
    const caseId = params.data.caseId;
    const form = eventForm.safeParse(req.body);
    if (!form.success) throw new AppError('validation_failed', 'Le formulaire est incomplet. Rechargez la page et recommencez.');
    const attempted: AttemptedAction = { type: form.data.type, reason: form.data.reason || null };
    const { event, missingReason } = eventOf(form.data);
    if (missingReason) {
      await renderCase(deps, req, res, caseId, call, {
        conflict: null,
        actionError: { type: form.data.type, message: missingReason },
        status: 400,
      });
      return;
    }
    try {
      await sendCaseEvent(deps.db, caseId, { event: event as never, expectedRevision: form.data.expectedRevision }, call);
    } catch (error) {
      const code = error instanceof EngineError ? error.code : null;
      if (code === 'revision_conflict' || code === 'event_not_allowed') {
        await renderCase(deps, req, res, caseId, call, {
          conflict: {
            attempted,
            sinceRevision: form.data.expectedRevision,
            kind: code === 'revision_conflict' ? 'revision' : 'not_allowed',
          },
          actionError: null,
          status: 409,
        });
        return;
      }
      if (code === 'invalid_event') {
        throw new AppError('validation_failed', 'Cette action n’existe pas. Rechargez la page et recommencez.');
      }
      throw error;
    }
    setFlash(req, { kind: 'success', message: `Enregistré : ${timelineEventLabel(form.data.type, false).toLowerCase()}.` });
    res.redirect(303, `/dossiers/${caseId}`);
  },
});

export const casesPages: AnyPageRoute[] = [newCasePage, openCasePage, casePage, sendCaseEventPage];
