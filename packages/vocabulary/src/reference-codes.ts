/**
 * Coded reference lists. Codes are stable identifiers stored in events and rows; labels are French, for
 * people. The migration `0001_reference_codes.sql` seeds the same lists into `reference_codes` (a test
 * keeps the two equal).
 */
export const closureReasons = {
  information_given: 'Information donnée, la demande est satisfaite',
  rights_opened_on_spot: 'Droits ouverts lors de l’accueil',
  needs_met: 'Besoins couverts par l’accompagnement',
  person_withdrew: 'La personne ne souhaite plus être accompagnée',
  moved_out: 'La personne a quitté le territoire',
  handled_elsewhere: 'Situation prise en charge par une autre structure',
  lost_contact: 'Perte de contact',
  deceased: 'Décès',
  duplicate_case: 'Dossier en double',
} as const;
export type ClosureReason = keyof typeof closureReasons;

export const declineReasons = {
  not_eligible: 'La personne ne remplit pas les conditions du service',
  out_of_territory: 'Hors du territoire desservi',
  service_full: 'Service saturé, pas de place disponible',
  missing_information: 'Informations insuffisantes pour instruire',
  person_unreachable: 'Personne injoignable',
  person_refused: 'La personne a refusé l’accompagnement proposé',
  better_suited_elsewhere: 'Un autre service est plus adapté',
  duplicate: 'Orientation en double',
} as const;
export type DeclineReason = keyof typeof declineReasons;

/** Typology of non-take-up (non-recours) used by researchers (Odenore). */
export const nonTakeUpReasons = {
  non_knowledge: 'Non-connaissance : l’offre n’est pas connue',
  non_request: 'Non-demande : l’offre est connue mais pas demandée',
  non_reception: 'Non-réception : l’offre est demandée mais pas obtenue',
  non_proposal: 'Non-proposition : l’offre n’a pas été proposée par un agent',
} as const;
export type NonTakeUpReason = keyof typeof nonTakeUpReasons;

export const referralOutcomes = {
  need_met: 'Besoin couvert',
  rights_opened: 'Droits ouverts',
  partially_met: 'Besoin partiellement couvert',
  redirected_internally: 'Réorientée au sein de la structure',
} as const;
export type ReferralOutcome = keyof typeof referralOutcomes;

export const referenceCodeLists = {
  closure_reason: closureReasons,
  decline_reason: declineReasons,
  non_take_up_reason: nonTakeUpReasons,
} as const;

export const codesOf = <T extends Record<string, string>>(list: T) =>
  Object.keys(list) as [keyof T & string, ...(keyof T & string)[]];
