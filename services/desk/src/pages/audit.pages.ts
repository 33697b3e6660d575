import { z } from 'zod';
import { getAgentNames, listTerritoryAgents } from '../features/agents/get-agent-names.ts';
import { auditOutcomes, listAuditEventsQuery } from '../features/audit/audit.schemas.ts';
import { exportPersonData } from '../features/audit/export-person-data.ts';
import { findPersonForAudit } from '../features/audit/find-person-for-audit.ts';
import { listAuditEvents } from '../features/audit/list-audit-events.ts';
import { whoSawPerson } from '../features/audit/who-saw-person.ts';
import { communeLabelOf } from '../features/communes/communes.ts';
import { getOrganisationNames } from '../features/organisations/get-organisation-names.ts';
import { listTerritoryOrganisations } from '../features/organisations/list-territory-organisations.ts';
import type { DeskCall } from '../http/desk-call.ts';
import { plausibleYears } from '../http/input-dates.ts';
import { personNotFound } from '../http/not-found.ts';
import { fieldIssuesOf } from '../http/validate.ts';
import {
  auditActionLabelOf,
  auditActionLabels,
  auditSubjectLabels,
  stageLabels,
  stateLabel,
  timelineEventLabel,
} from './labels.ts';
import { type PagesDependencies, renderPage } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { textOf } from './sharing-context.ts';
import { dataCategoryLabels, referralPurposeLabels, referralStatusLabels } from './sharing-labels.ts';
import { parisStartOfDay } from './view-engine.ts';

const pageSize = 50;
const outcomeLabels: Record<(typeof auditOutcomes)[number], string> = { allowed: 'Autorisé', denied: 'Refusé', failed: 'Échec' };
const accessKindLabels = { read: 'Consultation', disclosure: 'Communication' } as const;
const actorKindLabels: Record<string, string> = {
  agent: 'Agent',
  partner_link: 'Partenaire par lien signé',
  system: 'Parcours (automatique)',
  person: 'La personne',
};

/** The filters' choices: the territory's agents and organisations by name, the actions in French. */
async function filterChoicesOf(deps: PagesDependencies, call: DeskCall, values: Record<string, string>) {
  const [agents, organisations] = await Promise.all([
    listTerritoryAgents(deps.db, call.agent.territoryId),
    listTerritoryOrganisations(deps.db, call.agent.territoryId),
  ]);
  return {
    agents: agents.map((agent) => ({ value: agent.id, label: agent.name, selected: values.acteur === agent.id })),
    organisations: organisations.map((organisation) => ({
      value: organisation.id,
      label: organisation.name,
      selected: values.structure === organisation.id,
    })),
    actions: Object.entries(auditActionLabels)
      .map(([value, label]) => ({
        value,
        label: label.charAt(0).toUpperCase() + label.slice(1),
        selected: values.action === value,
      }))
      .sort((a, b) => a.label.localeCompare(b.label, 'fr')),
  };
}

const shortId = (id: string) => id.slice(0, 8);
const noPersonSearch = { shown: false, typed: '', error: null, results: [] };

/** The filter form, as it comes in the query string: ids, codes and dates only. */
const auditFilterForm = z.object({
  acteur: z.string().trim().max(100).optional(),
  structure: z.string().trim().max(100).optional(),
  action: z.string().trim().max(80).optional(),
  sujet: z.string().trim().max(100).optional(),
  resultat: z.string().trim().max(20).optional(),
  du: z.string().trim().max(10).optional(),
  au: z.string().trim().max(10).optional(),
  page: z.string().trim().max(6).optional(),
});

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
/**
 * Midnight in Paris of a `YYYY-MM-DD` day, `days` later; a day that is no calendar date, or outside the years
 * an instant may take, is handed on as typed for the query's schema to refuse in French.
 */
const parisDayStart = (day: string, days = 0): string => {
  const year = Number(day.slice(0, 4));
  const noon = new Date(`${day}T12:00:00Z`);
  if (year < plausibleYears.first || year > plausibleYears.last || Number.isNaN(noon.getTime())) return day;
  return parisStartOfDay(new Date(noon.getTime() + days * 24 * 60 * 60 * 1000)).toISOString();
};

const personIdOf = (value: unknown): string => {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw personNotFound();
  return parsed.data;
};

/**
 * The audit for those who hold an audit permission: the journal with its filters, "who saw this
 * person's file", and the person's data export as a printable page. Same use cases as the API, so the
 * same scope and the same audit rows.
 */
export const auditLogPage = definePage({
  method: 'get',
  path: '/audit',
  access: { kind: 'acting', permission: 'audit.read' },
  handle: async ({ req, res, deps, call }) => {
    const form = auditFilterForm.catch({}).parse(req.query);
    const values = Object.fromEntries(
      Object.keys(auditFilterForm.shape).map((key) => [key, form[key as keyof typeof form] ?? '']),
    ) as Record<keyof typeof form, string>;
    const parsed = listAuditEventsQuery.safeParse({
      actorId: form.acteur || undefined,
      organisationId: form.structure || undefined,
      action: form.action || undefined,
      subjectId: form.sujet || undefined,
      outcome: form.resultat || undefined,
      from: form.du && isoDate.test(form.du) ? parisDayStart(form.du) : form.du || undefined,
      to: form.au && isoDate.test(form.au) ? parisDayStart(form.au, 1) : form.au || undefined,
      page: form.page || 1,
      pageSize,
    });
    if (!parsed.success) {
      await renderPage(
        deps,
        req,
        res,
        'audit',
        {
          title: 'Journal d’audit',
          values,
          outcomes: outcomeOptions(values.resultat),
          choices: await filterChoicesOf(deps, call, values),
          errors: fieldIssuesOf(parsed.error.issues),
          items: [],
          pager: null,
          personSearch: noPersonSearch,
        },
        { status: 400 },
      );
      return;
    }
    const list = await listAuditEvents(deps.db, parsed.data, call);
    const names = await getOrganisationNames(
      deps.db,
      list.items.flatMap((item) => (item.organisationId ? [item.organisationId] : [])),
    );
    const agentNames = await getAgentNames(
      deps.db,
      list.items.flatMap((item) => (item.actorKind === 'agent' && item.actorId ? [item.actorId] : [])),
    );
    const link = (page: number) => `/audit?${new URLSearchParams({ ...values, page: String(page) }).toString()}`;
    await renderPage(deps, req, res, 'audit', {
      title: 'Journal d’audit',
      values,
      outcomes: outcomeOptions(values.resultat),
      choices: await filterChoicesOf(deps, call, values),
      errors: [],
      personSearch: noPersonSearch,
      items: list.items.map((item) => ({
        ...item,
        outcomeLabel: outcomeLabels[item.outcome],
        refused: item.outcome !== 'allowed',
        actionLabel: auditActionLabelOf(item.action),
        actorName:
          item.actorKind === 'agent' && item.actorId
            ? (agentNames.get(item.actorId) ?? 'Agent inconnu')
            : (actorKindLabels[item.actorKind] ?? item.actorKind),
        organisationName: item.organisationId ? (names.get(item.organisationId) ?? item.organisationId) : null,
        subjectLabel: auditSubjectLabels[item.subjectKind] ?? item.subjectKind,
        subjects: item.subjectIds.map((id) => ({ id, short: shortId(id) })),
      })),
      pager: {
        page: list.page,
        previous: list.page > 1 ? link(list.page - 1) : null,
        next: list.hasMore ? link(list.page + 1) : null,
      },
    });
  },
});

export const personAccessLogPage = definePage({
  method: 'get',
  path: '/personnes/:personId/acces',
  access: { kind: 'acting', permission: 'person.access_log' },
  handle: async ({ req, res, deps, call }) => {
    const log = await whoSawPerson(deps.db, personIdOf(req.params.personId), call);
    if (!log) throw personNotFound();
    const agentNames = await getAgentNames(
      deps.db,
      log.items.flatMap((item) => (item.actorKind === 'agent' && item.actorId ? [item.actorId] : [])),
    );
    await renderPage(deps, req, res, 'person-access-log', {
      title: 'Qui a consulté ce dossier',
      personId: log.personId,
      personShortId: shortId(log.personId),
      truncated: log.truncated,
      items: log.items.map((item) => ({
        ...item,
        kindLabel: accessKindLabels[item.kind],
        actionLabel: auditActionLabelOf(item.action),
        actorName:
          item.actorKind === 'agent' && item.actorId
            ? (agentNames.get(item.actorId) ?? 'Agent inconnu')
            : (actorKindLabels[item.actorKind] ?? item.actorKind),
      })),
    });
  },
});

export const personDataExportPage = definePage({
  method: 'get',
  path: '/personnes/:personId/export',
  access: { kind: 'acting', permission: 'person.export' },
  handle: async ({ req, res, deps, call }) => {
    const exported = await exportPersonData(deps.db, personIdOf(req.params.personId), call);
    if (!exported) throw personNotFound();
    // Written for the person: every code as the words she would use (« Suivi », « Accompagnement social :
    // annulée »), nothing to decode.
    const purpose = (code: string | null) => (code ? ((referralPurposeLabels as Record<string, string>)[code] ?? code) : null);
    await renderPage(deps, req, res, 'person-export', {
      title: 'Export des données de la personne',
      exported: {
        ...exported,
        cases: exported.cases.map((item) => ({
          ...item,
          stage: (stageLabels as Record<string, string>)[item.stage] ?? item.stage,
          steps: item.steps.map((step) => ({
            ...step,
            fromState: stateLabel(step.fromState, false),
            toState: stateLabel(step.toState, false),
            what: timelineEventLabel(step.eventType, false),
          })),
        })),
        referrals: exported.referrals.map((item) => ({
          ...item,
          purpose: purpose(item.purpose),
          status: (referralStatusLabels as Record<string, string>)[item.status] ?? item.status,
          sharedCategories: item.sharedCategories.map(
            (category) => (dataCategoryLabels as Record<string, string>)[category] ?? category,
          ),
        })),
        consents: exported.consents.map((item) => ({
          ...item,
          decision: item.decision === 'opposition' ? 'Opposition au partage' : 'Accord pour le partage',
        })),
      },
      disclosures: exported.disclosures.map((item) => ({
        ...item,
        kindLabel: accessKindLabels[item.kind],
        purpose: purpose(item.purpose),
      })),
    });
  },
});

/**
 * « Who saw her file », starting from her name: the auditor types it (in the POST body, never the address), gets
 * the persons of the territory so named with their birth date and commune, and opens one's access log. The
 * search itself is audited.
 */
export const auditPersonSearchPage = definePage({
  method: 'post',
  path: '/audit/personnes',
  access: { kind: 'acting', permission: 'person.access_log' },
  handle: async ({ req, res, deps, call }) => {
    const typed = textOf((req.body as Record<string, unknown> | undefined)?.nom).trim();
    const values = Object.fromEntries(Object.keys(auditFilterForm.shape).map((key) => [key, ''])) as Record<string, string>;
    const valid = /\p{L}/u.test(typed) && typed.length <= 100;
    const found = valid ? await findPersonForAudit(deps.db, typed, call) : [];
    await renderPage(
      deps,
      req,
      res,
      'audit',
      {
        title: 'Journal d’audit — recherche d’une personne',
        values,
        outcomes: outcomeOptions(undefined),
        choices: await filterChoicesOf(deps, call, values),
        errors: [],
        items: [],
        pager: null,
        personSearch: {
          shown: true,
          typed,
          error: valid ? null : 'Tapez le nom de famille de la personne (au moins une lettre).',
          results: found.map((person) => ({
            id: person.personId,
            name: `${person.familyName.toUpperCase()} ${person.givenNames}`,
            birthDate: person.birthDate,
            commune: person.communeInsee ? communeLabelOf(person.communeInsee) : null,
          })),
        },
      },
      { status: valid ? 200 : 400 },
    );
  },
});

export const auditPages: AnyPageRoute[] = [auditLogPage, auditPersonSearchPage, personAccessLogPage, personDataExportPage];

function outcomeOptions(selected: string | undefined) {
  return auditOutcomes.map((value) => ({ value, label: outcomeLabels[value], selected: selected === value }));
}
