import { type JourneyStage, journeyStages } from '@parcours/journey';
import { type ReceptionChannel, receptionChannels } from '@parcours/vocabulary';
import { z } from 'zod';
import { listWorkQueue, type WorkQueueItem, workQueueLimit } from '../features/cases/list-work-queue.ts';
import { countContactsSince } from '../features/contacts/record-contact.ts';
import { listOrganisationReferents } from '../features/organisations/list-organisation-referents.ts';
import { listTerritoryOrganisations } from '../features/organisations/list-territory-organisations.ts';
import { channelLabels, stageLabels } from './labels.ts';
import { renderPage } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';
import { formatDate, parisStartOfDay } from './view-engine.ts';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
/** Filters travel in the query string: codes and ids only, never a name. Unknown values are ignored. */
const workFilters = z.object({
  etape: z.preprocess(emptyAsUndefined, z.enum(journeyStages).optional()).catch(undefined),
  canal: z.preprocess(emptyAsUndefined, z.enum(receptionChannels).optional()).catch(undefined),
  accueil: z.preprocess(emptyAsUndefined, z.uuid().optional()).catch(undefined),
  referent: z.preprocess(emptyAsUndefined, z.uuid().optional()).catch(undefined),
});

const dayMs = 24 * 60 * 60 * 1000;
/** A deadline within this many days is "soon". */
const soonDays = 3;

/**
 * What a pending deadline is about. The diagram's delay labels ("Délai … dépassé") name the moment a
 * timer fires; a work list shows deadlines still to come, so it says what is expected by then.
 */
const pendingDeadlineLabels: Record<string, string> = {
  receptionDue: 'Évaluation à commencer',
  assessmentDue: 'Évaluation à terminer',
  orientationDue: 'Orientation à envoyer',
  lostContactClosure: 'Clôture pour perte de contact',
  referralReminder: 'Relance du partenaire',
  referralEscalation: 'Alerte au superviseur',
  referralExpiry: 'Expiration de l’orientation',
};

function deadlineOf(item: WorkQueueItem, now: Date) {
  if (!item.nextDeadline) return null;
  const { dueAt, delayName } = item.nextDeadline;
  const what = pendingDeadlineLabels[delayName] ?? 'Échéance';
  const overdue = dueAt.getTime() <= now.getTime();
  const soon = !overdue && dueAt.getTime() - now.getTime() <= soonDays * dayMs;
  return {
    what,
    dueAt,
    badge: overdue ? 'error' : soon ? 'warning' : 'info',
    text: overdue ? `Échéance dépassée (${formatDate(dueAt)})` : `Échéance le ${formatDate(dueAt)}`,
  };
}

export const workPage = definePage({
  method: 'get',
  path: '/mon-travail',
  access: { kind: 'acting', permission: 'case.list' },
  handle: async ({ req, res, deps, caller: agent, call }) => {
    const filters = workFilters.parse(req.query);
    const now = deps.clock.now();
    const items = await listWorkQueue(
      deps.db,
      {
        stage: filters.etape,
        channel: filters.canal,
        entryOrganisationId: filters.accueil,
        referentAgentId: filters.referent,
      },
      call,
    );
    const [territoryOrganisations, referents, contactsToday] = await Promise.all([
      listTerritoryOrganisations(deps.db, agent.territoryId),
      listOrganisationReferents(deps.db, agent.organisationId),
      countContactsSince(deps.db, agent, parisStartOfDay(now)),
    ]);
    const organisationName = new Map(territoryOrganisations.map((organisation) => [organisation.id, organisation.name]));
    const groups = journeyStages
      .map((stage) => ({
        stage,
        label: stageLabels[stage],
        items: items
          .filter((item) => item.stage === stage)
          .map((item) => ({
            id: item.id,
            person: item.primaryMember
              ? `${item.primaryMember.familyName.toUpperCase()} ${item.primaryMember.givenNames}`
              : 'Personne anonymisée',
            channel: channelLabels[item.channel],
            entryOrganisation: organisationName.get(item.entryOrganisationId) ?? '—',
            referent: item.referentAgentName ?? 'Non désigné',
            openedAt: item.openedAt,
            updatedAt: item.updatedAt,
            deadline: deadlineOf(item, now),
          })),
      }))
      .filter((group) => group.items.length > 0);
    const option = <T extends string>(value: T, label: string, selected: string | undefined) => ({
      value,
      label,
      selected: value === selected,
    });
    await renderPage(
      deps,
      req,
      res,
      'work',
      {
        title: 'Mon travail',
        groups,
        total: items.length,
        truncated: items.length >= workQueueLimit,
        limit: workQueueLimit,
        contactsToday,
        filtered: Boolean(filters.etape || filters.canal || filters.accueil || filters.referent),
        options: {
          stages: journeyStages.map((stage: JourneyStage) => option(stage, stageLabels[stage], filters.etape)),
          channels: receptionChannels.map((channel: ReceptionChannel) => option(channel, channelLabels[channel], filters.canal)),
          organisations: territoryOrganisations.map((organisation) =>
            option(organisation.id, organisation.name, filters.accueil),
          ),
          referents: referents.map((referent) => option(referent.id, referent.name, filters.referent)),
        },
      },
      { nav: 'work' },
    );
  },
});

export const workPages: AnyPageRoute[] = [workPage];
