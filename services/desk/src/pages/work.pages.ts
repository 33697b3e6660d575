import { agents, memberships, organisations, type ReceptionChannel, receptionChannels } from '@parcours/db';
import { type JourneyStage, journeyStages } from '@parcours/journey';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Router } from 'express';
import { z } from 'zod';
import { listWorkQueue, type WorkQueueItem, workQueueLimit } from '../cases/list-work-queue.ts';
import { countContactsSince } from '../contacts/record-contact.ts';
import { channelLabels, stageLabels } from './labels.ts';
import { callerOf, deskCallOf, type PagesDependencies, renderPage } from './page-context.ts';
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

export function mountWorkPages(router: Router, deps: PagesDependencies): void {
  router.get('/mon-travail', async (req, res) => {
    const agent = await callerOf(deps, { kind: 'acting', permission: 'case.list' }, req, res);
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
      deskCallOf(deps, agent, res),
    );
    const [territoryOrganisations, referents, contactsToday] = await Promise.all([
      deps.db
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(eq(organisations.territoryId, agent.territoryId))
        .orderBy(asc(organisations.name)),
      deps.db
        .select({ id: agents.id, name: agents.displayName })
        .from(memberships)
        .innerJoin(agents, eq(agents.id, memberships.agentId))
        .where(and(eq(memberships.organisationId, agent.organisationId), sql`'referent' = any(${memberships.roles})`))
        .orderBy(asc(agents.displayName)),
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
  });
}
