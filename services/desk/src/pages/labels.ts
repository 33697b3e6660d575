import type { JourneyStage } from '@parcours/journey';
import { journeyLabels, referralLabels } from '@parcours/journey-diagram';
import {
  type ContactOutcome,
  closureReasons,
  type OrganisationKind,
  type ReceptionChannel,
  receptionChannelLabels,
} from '@parcours/vocabulary';
import type { MatchReason } from '../features/persons/person.schemas.ts';

/** French words of the desk's pages. Codes stay codes everywhere else. */

export const channelLabels: Record<ReceptionChannel, string> = receptionChannelLabels;

export const stageLabels: Record<JourneyStage, string> = {
  reception: 'Accueil',
  assessment: 'Évaluation',
  orientation: 'Orientation',
  followUp: 'Suivi',
  caseManagement: 'Gestion de cas',
  suspended: 'Suspendu',
  closed: 'Clos',
};

export const contactOutcomeLabels: Record<ContactOutcome, string> = {
  answered: 'Répondu sur place',
  case_opened: 'Transformé en dossier',
};

export const suspensionReasonLabels = {
  lost_contact: 'Perte de contact',
  person_request: 'À la demande de la personne',
} as const;

export const matchReasonLabels: Record<MatchReason, string> = {
  family_name: 'même nom',
  family_name_close: 'nom proche',
  birth_name: 'nom de naissance',
  given_names: 'mêmes prénoms',
  first_given_name: 'même premier prénom',
  birth_date: 'même date de naissance',
  commune: 'même commune',
};

/** Timeline wording: what happened, in the past tense (the diagram and buttons use verbs). */
const journeyEventLabels: Record<string, string> = {
  OPEN: 'Dossier ouvert',
  ASSIGN_REFERENT: 'Référent désigné',
  START_ASSESSMENT: 'Évaluation commencée',
  COMPLETE_ASSESSMENT: 'Évaluation terminée',
  ENTER_CASE_MANAGEMENT: 'Passage en gestion de cas',
  END_CASE_MANAGEMENT: 'Fin de la gestion de cas',
  REORIENT: 'Réorientation',
  SUSPEND: 'Parcours suspendu',
  RESUME: 'Parcours repris',
  CLOSE: 'Parcours clos',
  REFERRAL_SENT: 'Orientation envoyée',
  REFERRAL_CLOSED: 'Orientation close',
};

const timerPrefix = 'xstate.after.';

/** `xstate.after.receptionDue.journey.active.reception` → `receptionDue`. */
function delayNameOf(eventType: string): string | null {
  if (!eventType.startsWith(timerPrefix)) return null;
  return eventType.slice(timerPrefix.length).split('.')[0] ?? null;
}

/** What became of a referral at each of its events, said of the referral (« Orientation acceptée »). */
const referralEventOutcomes: Record<string, string> = {
  CREATE: 'préparée',
  SEND: 'envoyée',
  MARK_SEEN: 'vue par le partenaire',
  START_STUDY: 'mise à l’étude',
  ACCEPT: 'acceptée',
  DECLINE: 'refusée',
  REDIRECT: 'réorientée',
  SET_APPOINTMENT: 'avec un rendez-vous fixé',
  START_SUPPORT: 'suivie : accompagnement commencé',
  REPORT_NO_SHOW: 'sans suite : personne absente au rendez-vous',
  COMPLETE: 'terminée',
  ABANDON: 'abandonnée',
  CANCEL: 'annulée',
};

/**
 * A timeline line. A referral's event names its partner when it is known (« Orientation envoyée — CAF des
 * Hautes-Alpes »), so the referrer reads who was asked and who answered.
 */
export function timelineEventLabel(eventType: string, referral: boolean, partnerName: string | null = null): string {
  const delay = delayNameOf(eventType);
  const outcome = referralEventOutcomes[eventType];
  if (referral && partnerName && outcome) return `Orientation ${outcome} — ${partnerName}`;
  if (referral) {
    const label = (delay ? referralLabels[delay] : referralLabels[eventType]) ?? eventType;
    return eventType === 'CREATE' ? 'Orientation préparée' : `Orientation : ${label.toLowerCase()}`;
  }
  if (delay) return journeyLabels[delay] ?? delay;
  return journeyEventLabels[eventType] ?? journeyLabels[eventType] ?? eventType;
}

/** A state path of the journey (`active.reception`) or of a referral (`awaitingAnswer.sent`) in French. */
export function stateLabel(path: string, referral: boolean): string {
  if (path === '') return '';
  const labels = referral ? referralLabels : journeyLabels;
  return labels[path] ?? path;
}

/** Details of an event's payload worth a line in the timeline: codes turned into words. */
export function payloadDetail(eventType: string, payload: Record<string, unknown>): string | null {
  const reason = typeof payload.reason === 'string' ? payload.reason : null;
  if (eventType === 'CLOSE' && reason) return closureReasons[reason as keyof typeof closureReasons] ?? reason;
  if (eventType === 'SUSPEND' && reason) return suspensionReasonLabels[reason as keyof typeof suspensionReasonLabels] ?? reason;
  if (eventType === 'OPEN' && typeof payload.channel === 'string') {
    return `Canal : ${channelLabels[payload.channel as ReceptionChannel] ?? payload.channel}`;
  }
  return null;
}

/** Button label of an allowed event: the diagram's verbs. */
export function actionLabel(eventType: string): string {
  return journeyLabels[eventType] ?? eventType;
}

/** Kinds of structure, as a match across the territory names them (never which structure). */
export const organisationKindLabels: Record<OrganisationKind, string> = {
  france_services: 'France Services',
  ccas: 'CCAS',
  caf: 'CAF',
  msa: 'MSA',
  cpam: 'CPAM',
  france_travail: 'France Travail',
  mission_locale: 'Mission locale',
  departement_social_service: 'service social du Département',
  dac: 'DAC',
  clic: 'CLIC',
  association: 'association',
  other: 'autre structure',
};

/** What an audited action did, as a sentence's verb phrase for people (« a consulté le dossier »). */
export const auditActionLabels: Record<string, string> = {
  'case.read': 'a consulté le dossier',
  'case.timeline': 'a consulté l’historique du dossier',
  'case.list': 'a consulté la liste des dossiers',
  'case.open': 'a ouvert un dossier',
  'person.read': 'a consulté la fiche de la personne',
  'person.search': 'a recherché une personne',
  'person.create': 'a enregistré une personne',
  'person.link': 'a rattaché un contact à une personne connue',
  'person.access_log': 'a consulté qui a vu le dossier d’une personne',
  'person.export': 'a exporté les données d’une personne',
  'assessment.create': 'a commencé une évaluation',
  'assessment.read': 'a consulté une évaluation',
  'assessment.list': 'a consulté les évaluations du dossier',
  'assessment.save': 'a enregistré une évaluation en cours',
  'assessment.complete': 'a terminé une évaluation',
  'assessment.right_follow_up': 'a mis à jour le suivi d’un droit',
  'consent.read': 'a consulté les consentements',
  'consent.record': 'a recueilli un consentement',
  'consent.withdraw': 'a enregistré le retrait d’un consentement',
  'contact.record': 'a enregistré un contact',
  'contact.attach': 'a rattaché un contact à un dossier',
  'orientation.suggest': 'a consulté les suggestions d’orientation',
  'orientation.choose': 'a choisi une orientation',
  'orientation.list': 'a consulté les orientations choisies',
  'referral.read': 'a consulté les orientations du dossier',
  'referral.send': 'a envoyé une orientation',
  'referral.answer': 'a répondu à une orientation',
  'referral.handover': 'a transmis le dossier à un autre référent',
  'referent_handover.read': 'a consulté les notes de relais',
  'partner.inbox': 'a consulté les orientations reçues',
  'partner.case_read': 'a consulté une orientation reçue',
  'partner_link.issue': 'a créé un lien pour un partenaire',
  'partner_link.read': 'a ouvert un lien partenaire',
  'directory.import': 'a importé l’annuaire',
  'directory.export': 'a exporté l’annuaire',
  'audit.read': 'a consulté le journal d’audit',
  'agent.unlock': 'a levé l’attente de connexion d’un agent',
  'job.replay': 'a relancé une tâche en échec',
  'mail.resend': 'a renvoyé un courriel',
  'supervision.read': 'a consulté le pilotage',
};

/** An audited action in French; the supervision reports by their name, an unknown code as it is. */
export function auditActionLabelOf(action: string): string {
  const known = auditActionLabels[action];
  if (known) return known;
  const report = /^supervision\.([a-z_-]+)(\.export)?$/.exec(action);
  if (report) return report[2] ? `a exporté un tableau du pilotage (${report[1]})` : `a consulté le pilotage (${report[1]})`;
  return action;
}

/** What an audit row is about, in French. */
export const auditSubjectLabels: Record<string, string> = {
  case: 'Dossier',
  person: 'Personne',
  referral: 'Orientation',
  assessment: 'Évaluation',
  consent: 'Consentement',
  contact: 'Contact',
  agent: 'Agent',
  organisation: 'Structure',
  territory: 'Territoire',
  directory: 'Annuaire',
  job: 'Tâche',
  mail: 'Courriel',
  report: 'Pilotage',
};
