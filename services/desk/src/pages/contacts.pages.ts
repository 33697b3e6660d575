import { contactOutcomes, receptionChannels, serviceBundles } from '@parcours/vocabulary';
import type { Request, Response } from 'express';
import { recordContactInput } from '../features/contacts/contact.schemas.ts';
import { countContactsSince, recordContact } from '../features/contacts/record-contact.ts';
import type { ActingAgent } from '../policy/access-policy.ts';
import { emptyValues, type FieldErrors, parseForm } from './form-errors.ts';
import { channelLabels, contactOutcomeLabels } from './labels.ts';
import { type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { parisStartOfDay } from './view-engine.ts';

const contactFields = ['channel', 'topic', 'outcome'] as const;
const fieldMessages: Record<string, string> = {
  channel: 'Choisissez le canal du contact.',
  topic: 'Choisissez le sujet de la demande.',
  outcome: 'Indiquez la suite donnée.',
};

async function renderContact(
  deps: PagesDependencies,
  req: Request,
  res: Response,
  agent: ActingAgent,
  form: { values: Record<string, string>; errors: FieldErrors; status?: number },
): Promise<void> {
  const contactsToday = await countContactsSince(deps.db, agent, parisStartOfDay(deps.clock.now()));
  await renderPage(
    deps,
    req,
    res,
    'contact',
    {
      title: 'Contact rapide',
      contactsToday,
      topicChosen: Boolean(form.values.topic),
      channels: receptionChannels.map((value) => ({
        value,
        label: channelLabels[value],
        checked: form.values.channel === value,
      })),
      topics: serviceBundles.map((bundle) => ({
        value: bundle.code,
        label: `${bundle.number}. ${bundle.label}`,
        selected: form.values.topic === bundle.code,
      })),
      outcomes: contactOutcomes.map((value) => ({
        value,
        label: contactOutcomeLabels[value],
        checked: form.values.outcome === value,
      })),
      errors: form.errors,
      summary: Object.entries(form.errors).map(([field, message]) => ({
        anchor: field === 'topic' ? 'contact-topic' : field === 'channel' ? 'contact-canal-physical' : 'contact-suite-answered',
        message,
      })),
    },
    { nav: 'contacts', status: form.status },
  );
}

/**
 * Quick contact: most requests are first-level information. A contact is recorded without a case and
 * without a person; "turned into a case" sends the agent to find the person, and the contact is
 * attached to the case once it is opened.
 */
export const newContactPage = definePage({
  method: 'get',
  path: '/contacts/nouveau',
  access: { kind: 'acting', permission: 'contact.record' },
  handle: async ({ req, res, deps, caller: agent }) => {
    await renderContact(deps, req, res, agent, { values: emptyValues(contactFields), errors: {} });
  },
});

export const recordContactPage = definePage({
  method: 'post',
  path: '/contacts',
  access: { kind: 'acting', permission: 'contact.record' },
  handle: async ({ req, res, deps, caller: agent, call }) => {
    const form = parseForm(recordContactInput, req.body, contactFields);
    if (!form.ok) {
      const errors = Object.fromEntries(
        Object.keys(form.errors).map((field) => [field, fieldMessages[field] ?? 'Valeur invalide.']),
      );
      await renderContact(deps, req, res, agent, { values: form.values, errors, status: 400 });
      return;
    }
    const contact = await recordContact(deps.db, form.data, call);
    if (form.data.outcome === 'case_opened') {
      req.session.pendingContactId = contact.id;
      setFlash(req, {
        kind: 'success',
        message: 'Contact enregistré. Cherchez maintenant la personne pour ouvrir son dossier : le contact y sera rattaché.',
      });
      res.redirect(303, '/personnes');
      return;
    }
    setFlash(req, { kind: 'success', message: 'Contact enregistré. Il est compté dans l’activité de votre structure.' });
    res.redirect(303, '/contacts/nouveau');
  },
});

export const contactsPages: AnyPageRoute[] = [newContactPage, recordContactPage];
