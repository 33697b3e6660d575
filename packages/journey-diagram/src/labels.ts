/**
 * Default French labels, keyed by state path (`active.reception`), event type (`START_ASSESSMENT`), delay
 * name (`receptionDue`) or `EVENT:guard` for one guarded branch of an event. The case page's action buttons
 * reuse the event labels, so they are written as verbs an agent clicks.
 */
export type DiagramLabels = Readonly<Record<string, string>>;

export const journeyLabels: DiagramLabels = {
  active: 'Parcours actif',
  'active.reception': 'Accueil',
  'active.assessment': 'Évaluation',
  'active.orientation': 'Orientation',
  'active.followUp': 'Suivi',
  'active.caseManagement': 'Gestion de cas',
  suspended: 'Suspendu',
  closed: 'Clos',

  START_ASSESSMENT: 'Commencer l’évaluation',
  COMPLETE_ASSESSMENT: 'Terminer l’évaluation',
  ENTER_CASE_MANAGEMENT: 'Passer en gestion de cas',
  END_CASE_MANAGEMENT: 'Terminer la gestion de cas',
  REORIENT: 'Réorienter',
  SUSPEND: 'Suspendre',
  RESUME: 'Reprendre',
  CLOSE: 'Clore le parcours',
  REFERRAL_SENT: 'Orientation envoyée',
  REFERRAL_CLOSED: 'Orientation close',
  'REFERRAL_CLOSED:lastActiveReferralFailed': 'Dernière orientation en échec',

  receptionDue: 'Délai d’accueil dépassé',
  assessmentDue: 'Délai d’évaluation dépassé',
  orientationDue: 'Délai d’orientation dépassé',
  lostContactClosure: 'Délai sans contact écoulé',
  'timer:receptionDue': 'Échéance d’accueil',
  'timer:assessmentDue': 'Échéance d’évaluation',
  'timer:orientationDue': 'Échéance d’orientation',
  'timer:lostContactClosure': 'Clôture faute de contact',
};

export const referralLabels: DiagramLabels = {
  draft: 'Brouillon',
  awaitingAnswer: 'En attente de réponse',
  'awaitingAnswer.sent': 'Envoyée',
  'awaitingAnswer.seen': 'Vue',
  'awaitingAnswer.underStudy': 'À l’étude',
  accepted: 'Acceptée',
  appointmentSet: 'Rendez-vous fixé',
  inProgress: 'En cours',
  completed: 'Terminée',
  declined: 'Refusée',
  redirected: 'Réorientée',
  noShow: 'Absence au rendez-vous',
  abandoned: 'Abandonnée',
  expired: 'Expirée',
  cancelled: 'Annulée',

  SEND: 'Envoyer',
  MARK_SEEN: 'Marquer comme vue',
  START_STUDY: 'Mettre à l’étude',
  ACCEPT: 'Accepter',
  DECLINE: 'Refuser',
  REDIRECT: 'Réorienter vers un autre partenaire',
  SET_APPOINTMENT: 'Fixer un rendez-vous',
  START_SUPPORT: 'Commencer l’accompagnement',
  REPORT_NO_SHOW: 'Signaler une absence',
  COMPLETE: 'Terminer l’accompagnement',
  ABANDON: 'Abandonner',
  CANCEL: 'Annuler',

  referralReminder: 'Relance du partenaire',
  referralEscalation: 'Alerte au responsable',
  referralExpiry: 'Délai de réponse expiré',
  'timer:referralReminder': 'Relance prévue',
  'timer:referralEscalation': 'Alerte prévue',
};

/** The default labels of a machine known to Parcours, by machine id; none for any other machine. */
export function defaultLabelsOf(machineId: string): DiagramLabels {
  if (machineId === 'journey') return journeyLabels;
  if (machineId === 'referral') return referralLabels;
  return {};
}
