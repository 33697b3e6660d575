import { type JourneyStage, resolveMachine } from '@parcours/journey';
import { renderMachineDiagram, type TakenTransition } from '@parcours/journey-diagram';
import { closureReasons } from '@parcours/vocabulary';
import type { CaseDetail, CaseTimeline } from '../features/cases/case.schemas.ts';
import type { CaseNames } from '../features/cases/case-reads.ts';
import {
  actionLabel,
  channelLabels,
  payloadDetail,
  stageLabels,
  stateLabel,
  suspensionReasonLabels,
  timelineEventLabel,
} from './labels.ts';
import { formatDateTime } from './view-engine.ts';

type TimelineEvent = CaseTimeline['events'][number];

function actorName(event: TimelineEvent, names: CaseNames): { who: string; organisation: string | null } {
  const organisation = event.actor.organisationId ? (names.organisations.get(event.actor.organisationId) ?? null) : null;
  switch (event.actor.kind) {
    case 'agent':
      return { who: (event.actor.id && names.agents.get(event.actor.id)) || 'Agent', organisation };
    case 'partner_link':
      return { who: 'Partenaire (lien sans compte)', organisation };
    case 'person':
      return { who: 'La personne', organisation };
    case 'system':
      return { who: 'Parcours (automatique)', organisation };
  }
}

export function timelineEntryOf(event: TimelineEvent, names: CaseNames) {
  const referral = event.referralId !== null;
  const actor = actorName(event, names);
  const from = stateLabel(event.fromState, referral);
  const to = stateLabel(event.toState, referral);
  return {
    sequence: event.sequence,
    revision: event.revision,
    what: timelineEventLabel(
      event.eventType,
      referral,
      event.referralId ? (names.organisations.get(names.referralRecipients.get(event.referralId) ?? '') ?? null) : null,
    ),
    detail: payloadDetail(event.eventType, event.payload),
    move: from && from !== to ? `${from} → ${to}` : event.fromState === '' ? to : null,
    who: actor.who,
    organisation: actor.organisation,
    at: event.at,
    /** Formatted here rather than by a helper: a long timeline is the page's heaviest part. */
    atText: formatDateTime(event.at),
  };
}

/** The path drawn on the diagram: the journey's own steps (not the referrals', not the opening). */
function journeyPathOf(timeline: CaseTimeline): { visited: string[]; taken: TakenTransition[] } {
  const visited = new Set<string>();
  const taken: TakenTransition[] = [];
  for (const event of timeline.events) {
    if (event.referralId !== null) continue;
    if (event.fromState) visited.add(event.fromState);
    visited.add(event.toState);
    if (event.fromState && event.fromState !== event.toState) {
      taken.push({ from: event.fromState, to: event.toState, event: event.eventType });
    }
  }
  return { visited: [...visited], taken };
}

export interface AttemptedAction {
  type: string;
  reason: string | null;
}

/** The form of each event allowed now; CLOSE and SUSPEND ask for a coded reason. */
export function actionsOf(
  allowedEvents: readonly string[],
  attempted: AttemptedAction | null,
  actionError: { type: string; message: string } | null = null,
) {
  return allowedEvents.map((type) => {
    const reasons =
      type === 'CLOSE'
        ? Object.entries(closureReasons).map(([code, label]) => ({
            code,
            label,
            selected: attempted?.type === type && attempted.reason === code,
          }))
        : type === 'SUSPEND'
          ? Object.entries(suspensionReasonLabels).map(([code, label]) => ({
              code,
              label,
              selected: attempted?.type === type && attempted.reason === code,
            }))
          : null;
    return {
      type,
      label: actionLabel(type),
      reasons,
      reasonLabel: type === 'CLOSE' ? 'Motif de clôture' : 'Motif de suspension',
      reasonSelected: attempted?.type === type && attempted.reason !== null,
      secondary: type === 'CLOSE' || type === 'SUSPEND',
      error: actionError?.type === type ? actionError.message : null,
    };
  });
}

const deadlineLabels: Record<string, string> = {
  receptionDue: 'Accueil à terminer',
  assessmentDue: 'Évaluation à terminer',
  orientationDue: 'Orientation à décider',
  lostContactClosure: 'Sans nouvelles, dossier clos automatiquement',
};

export interface CasePageInput {
  detail: CaseDetail;
  timeline: CaseTimeline;
  names: CaseNames;
  /** Active referrals the person's consents no longer cover: the referrer is warned. */
  referralsNoLongerCovered: ReadonlyArray<{ id: string; toOrganisationId: string }>;
  /** The case's deadlines still armed: « Accueil à terminer avant le … ». */
  pendingDeadlines: ReadonlyArray<{ delayName: string; dueAt: string }>;
  /** Set when the agent's last action was refused because the case moved meanwhile. */
  conflict: { attempted: AttemptedAction; sinceRevision: number; kind: 'revision' | 'not_allowed' } | null;
  /** A field error of the action forms (e.g. a missing reason). */
  actionError: { type: string; message: string } | null;
}

/** Everything the case page shows, computed from the case, its timeline and the staff names. */
export function casePageModelOf(input: CasePageInput) {
  const { detail, timeline, names } = input;
  const primary = detail.members.find((member) => member.role === 'primary') ?? detail.members[0];
  const personName =
    primary?.familyName && primary.givenNames
      ? `${primary.givenNames} ${primary.familyName.toUpperCase()}`
      : 'Personne anonymisée';
  const path = journeyPathOf(timeline);
  const diagram = renderMachineDiagram(resolveMachine('journey', names.machineVersion), {
    currentState: detail.state,
    visitedStates: path.visited,
    takenTransitions: path.taken,
    title: `Parcours du dossier : étape ${stageLabels[detail.stage]}`,
    idPrefix: 'parcours',
  });
  const entries = timeline.events.map((event) => timelineEntryOf(event, names));
  const conflict = input.conflict
    ? {
        changes: entries.filter(
          (entry, index) => timeline.events[index]?.referralId === null && entry.revision > (input.conflict?.sinceRevision ?? 0),
        ),
        attemptedLabel: actionLabel(input.conflict.attempted.type),
        retry: detail.allowedEvents.includes(input.conflict.attempted.type) ? input.conflict.attempted : null,
        kind: input.conflict.kind,
      }
    : null;
  const retryAction = conflict?.retry ? actionsOf([conflict.retry.type], conflict.retry)[0] : null;
  return {
    id: detail.id,
    revision: detail.revision,
    consentLost: input.referralsNoLongerCovered.map((referral) => ({
      id: referral.id,
      organisation: names.organisations.get(referral.toOrganisationId) ?? 'un partenaire',
    })),
    person: {
      name: personName,
      birthDate: primary?.birthDate ?? null,
      communeInsee: primary?.communeInsee ?? null,
      others: detail.members
        .filter((member) => member !== primary)
        .map((member) => ({
          name:
            member.familyName && member.givenNames
              ? `${member.givenNames} ${member.familyName.toUpperCase()}`
              : 'Personne anonymisée',
          role: member.role === 'legal_representative' ? 'Représentant légal' : 'Membre du foyer',
        })),
    },
    stage: detail.stage as JourneyStage,
    stageLabel: stageLabels[detail.stage],
    stateLabel: stateLabel(detail.state, false),
    // What is due, as a rule with its date (« avant le … »), never as if it had passed before it fired.
    deadlines: input.pendingDeadlines.map((deadline) => ({
      text: `${deadlineLabels[deadline.delayName] ?? 'Échéance'} avant le ${formatDateTime(deadline.dueAt)}`,
      dueAt: deadline.dueAt,
    })),
    closed: detail.closed,
    closureReason: detail.closureReason
      ? (closureReasons[detail.closureReason as keyof typeof closureReasons] ?? detail.closureReason)
      : null,
    channel: channelLabels[detail.channel],
    entryOrganisation: names.organisations.get(detail.entryOrganisationId) ?? '—',
    referentOrganisation: names.organisations.get(detail.referentOrganisationId) ?? '—',
    referentAgent: detail.referentAgentId ? (names.agents.get(detail.referentAgentId) ?? '—') : 'Non désigné',
    expressedRequest: detail.expressedRequest,
    openedAt: detail.openedAt,
    updatedAt: detail.updatedAt,
    diagram,
    timeline: entries.reverse(),
    eventCount: entries.length,
    actions: actionsOf(detail.allowedEvents, null, input.actionError),
    conflict,
    retryAction,
  };
}
