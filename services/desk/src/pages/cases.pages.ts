import { organisations, receptionChannels } from '@parcours/db';
import { EngineError } from '@parcours/engine';
import { closureReasons, codesOf } from '@parcours/journey';
import { eq } from 'drizzle-orm';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { getCase } from '../cases/get-case.ts';
import { getCaseTimeline } from '../cases/get-case-timeline.ts';
import { openCase } from '../cases/open-case.ts';
import { sendCaseEvent } from '../cases/send-case-event.ts';
import { attachContactToCase } from '../contacts/record-contact.ts';
import type { DeskCall } from '../desk-call.ts';
import { AppError } from '../errors/app-error.ts';
import { getPerson } from '../persons/get-person.ts';
import { type AttemptedAction, type CasePageInput, casePageModelOf, loadCaseNames } from './case-page.model.ts';
import { type FieldErrors, parseForm } from './form-errors.ts';
import { channelLabels, timelineEventLabel } from './labels.ts';
import { callerOf, deskCallOf, type PagesDependencies, renderPage, setFlash } from './page-context.ts';

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

const notFound = () => new AppError('not_found', 'Ce dossier est introuvable.');

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
  // The page's reads share one transaction (one commit instead of three); each use case still audits
  // its own read, in a savepoint of it.
  const { detail, timeline, names } = await deps.db.transaction(async (tx) => {
    const detail = await getCase(tx, caseId, call);
    if (!detail) throw notFound();
    const timeline = await getCaseTimeline(tx, caseId, call);
    if (!timeline) throw notFound();
    return { detail, timeline, names: await loadCaseNames(tx, detail, timeline) };
  });
  const model = casePageModelOf({ detail, timeline, names, conflict: extra.conflict, actionError: extra.actionError });
  await renderPage(
    deps,
    req,
    res,
    'case',
    { title: `Dossier — étape ${model.stageLabel}`, case: model },
    { status: extra.status },
  );
}

export function mountCasesPages(router: Router, deps: PagesDependencies): void {
  const renderNewCase = async (
    req: Request,
    res: Response,
    call: DeskCall,
    personId: string,
    form: { values: Record<string, string>; errors: FieldErrors; status?: number },
  ) => {
    const person = await getPerson(deps.db, personId, call);
    if (!person) throw new AppError('not_found', 'Cette personne est introuvable.');
    const [organisation] = await deps.db
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, call.agent.organisationId));
    await renderPage(
      deps,
      req,
      res,
      'new-case',
      {
        title: 'Ouvrir un dossier',
        person: { id: person.id, name: `${person.givenNames} ${person.familyName.toUpperCase()}`, birthDate: person.birthDate },
        entryOrganisation: organisation?.name ?? '—',
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
  };

  router.get('/dossiers/nouveau', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'case.open' }, req, res);
    const query = personQuery.safeParse(req.query);
    if (!query.success) {
      res.redirect(303, '/personnes');
      return;
    }
    await renderNewCase(req, res, deskCallOf(deps, agent, res), query.data.personne, {
      values: { personId: query.data.personne, channel: '', expressedRequest: '' },
      errors: {},
    });
  });

  router.post('/dossiers', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'case.open' }, req, res);
    const call = deskCallOf(deps, agent, res);
    const form = parseForm(openCaseForm, req.body, openCaseFields);
    if (!form.ok) {
      const personId = z.uuid().safeParse(form.values.personId);
      if (!personId.success) throw new AppError('not_found', 'Cette personne est introuvable.');
      const errors = { ...form.errors };
      if (errors.channel) errors.channel = 'Choisissez le canal par lequel la personne s’est adressée à vous.';
      if (errors.expressedRequest && !form.values.expressedRequest) {
        errors.expressedRequest = 'Notez la demande, avec les mots de la personne.';
      }
      await renderNewCase(req, res, call, personId.data, { values: form.values, errors, status: 400 });
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
  });

  router.get('/dossiers/:caseId', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'case.read' }, req, res);
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw notFound();
    await renderCase(deps, req, res, params.data.caseId, deskCallOf(deps, agent, res), { conflict: null, actionError: null });
  });

  /**
   * One journey event from a case page's form. Success redirects to the case (post/redirect/get). A
   * stale revision is never retried silently: the page comes back with what changed since the agent's
   * reading, and the same action offered again on the current revision if it is still allowed.
   */
  router.post('/dossiers/:caseId/evenements', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'case.transition' }, req, res);
    const params = caseIdParam.safeParse(req.params);
    if (!params.success) throw notFound();
    const caseId = params.data.caseId;
    const call = deskCallOf(deps, agent, res);
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
  });
}
