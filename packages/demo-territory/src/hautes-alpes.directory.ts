import {
  DirectoryService,
  type DirectoryServiceInput,
  type Location,
  type OpeningHours,
  type Permanence,
  type Weekday,
} from '@parcours/directory';
import type { BundleCode } from '@parcours/vocabulary';
import { bassinsDeVieOf, communesOf } from './communes.ts';

/**
 * The demo directory of the Hautes-Alpes: fictional services, written to look like the real offer of a
 * rural département (France Services and their bus, CAF/CPAM/MSA visio permanences at reception points,
 * Point-justice, SIAO…). Organisation names follow the demo territory's where it has them; phone numbers
 * are in the 04 65 71 range that ARCEP keeps for fiction; e-mails end in .test.
 */

interface Place {
  code: string;
  name: string;
  postalCode: string;
}

const place = (code: string, name: string, postalCode: string): Place => ({ code, name, postalCode });
const laragne = place('05070', 'Laragne-Montéglin', '05300');
const gap = place('05061', 'Gap', '05000');
const briancon = place('05023', 'Briançon', '05100');
const embrun = place('05046', 'Embrun', '05200');
const serres = place('05166', 'Serres', '05700');
const rosans = place('05126', 'Rosans', '05150');
const orpierre = place('05097', 'Orpierre', '05700');
const valBuechMeouge = place('05118', 'Val Buëch-Méouge', '05300');
const veynes = place('05179', 'Veynes', '05400');
const aspres = place('05010', 'Aspres-sur-Buëch', '05140');
const guillestre = place('05065', 'Guillestre', '05600');
const aiguilles = place('05003', 'Aiguilles', '05470');
const ceillac = place('05026', 'Ceillac', '05600');
const saintVeran = place('05157', 'Saint-Véran', '05350');
const abries = place('05001', 'Abriès-Ristolas', '05460');
const saintBonnet = place('05132', 'Saint-Bonnet-en-Champsaur', '05500');
const saintFirmin = place('05142', 'Saint-Firmin', '05800');
const orcieres = place('05096', 'Orcières', '05170');
const argentiere = place('05006', 'L’Argentière-la-Bessée', '05120');
const tallard = place('05170', 'Tallard', '05130');
const chorges = place('05040', 'Chorges', '05230');
const batieNeuve = place('05017', 'La Bâtie-Neuve', '05230');
const savines = place('05164', 'Savines-le-Lac', '05160');
const ventavon = place('05178', 'Ventavon', '05300');

const allCommunes = communesOf('05').map((commune) => commune.code);
const bassins = new Map(bassinsDeVieOf('05').map((bassin) => [bassin.code, bassin.communes]));
const bassinCodes = {
  sisteronaisBuech: '200068765',
  gapTallard: '200067825',
  brianconnais: '240500439',
  serrePoncon: '200067742',
  guillestroisQueyras: '200067452',
  champsaurValgaudemar: '200068096',
  buechDevoluy: '200067445',
  valDAvance: '200067320',
  ecrins: '240500462',
} as const;
type BassinKey = keyof typeof bassinCodes;

/** Communes of the named bassins de vie (EPCI). */
function communesOfBassins(...keys: BassinKey[]): string[] {
  return keys.flatMap((key) => bassins.get(bassinCodes[key]) ?? []);
}

const weekdaysMondayToFriday: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

/** Opening hours for the given days, e.g. hours(weekdaysMondayToFriday, '08:30-12:00', '13:30-17:00'). */
function hours(days: Weekday[], ...ranges: string[]): OpeningHours[] {
  return days.flatMap((weekday) =>
    ranges.map((range) => {
      const [opens = '', closes = ''] = range.split('-');
      return { weekday, opens, closes };
    }),
  );
}

const officeHours = hours(weekdaysMondayToFriday, '08:30-12:00', '13:30-17:00');

function premises(
  where: Place,
  name: string,
  street: string,
  openingHours: OpeningHours[] = officeHours,
  access?: string,
): Omit<Location, 'id'> {
  return {
    name,
    kind: 'premises',
    address: { street, postalCode: where.postalCode, communeCode: where.code, communeName: where.name },
    openingHours,
    ...(access ? { access } : {}),
  };
}

function permanence(
  mode: Permanence['mode'],
  where: Place,
  placeName: string,
  weekday: Weekday,
  range: string,
  frequency: Permanence['frequency'] = 'weekly',
  note?: string,
): Permanence {
  const [opens = '', closes = ''] = range.split('-');
  return { mode, communeCode: where.code, place: placeName, weekday, opens, closes, frequency, ...(note ? { note } : {}) };
}

const fsLaragne = 'France Services de Laragne-Montéglin';

const organisations = {
  fsLaragne: { id: 'fs-laragne', name: fsLaragne, kind: 'france_services' },
  ccasGap: { id: 'ccas-gap', name: 'CCAS de Gap', kind: 'ccas' },
  caf: { id: 'caf', name: 'CAF des Hautes-Alpes', kind: 'caf' },
  msa: { id: 'msa', name: 'MSA Alpes-Vaucluse — agence de Gap', kind: 'msa' },
  cpam: { id: 'cpam', name: 'CPAM des Hautes-Alpes', kind: 'cpam' },
  franceTravail: { id: 'france-travail', name: 'France Travail — agence de Gap', kind: 'france_travail' },
  missionLocale: { id: 'mission-locale', name: 'Mission locale jeunes des Hautes-Alpes', kind: 'mission_locale' },
  departement: {
    id: 'departement',
    name: 'Département des Hautes-Alpes — service social départemental',
    kind: 'departement_social_service',
  },
  dac: { id: 'dac', name: 'DAC des Hautes-Alpes (dispositif d’appui à la coordination)', kind: 'dac' },
  association: { id: 'association', name: 'Association Entraide Buëch-Durance', kind: 'association' },
  padBriancon: { id: 'pad-briancon', name: 'Point-justice de Briançon', kind: 'other' },
  fsBriancon: { id: 'fs-briancon', name: 'France Services du Briançonnais', kind: 'france_services' },
  fsEmbrun: { id: 'fs-embrun', name: 'France Services d’Embrun', kind: 'france_services' },
  fsSerres: { id: 'fs-serres', name: 'France Services du Serrois-Rosanais', kind: 'france_services' },
  fsQueyras: { id: 'fs-queyras', name: 'France Services itinérante du Guillestrois et du Queyras', kind: 'france_services' },
  fsChampsaur: { id: 'fs-champsaur', name: 'France Services de Saint-Bonnet-en-Champsaur', kind: 'france_services' },
  ftBriancon: { id: 'france-travail-briancon', name: 'France Travail — agence de Briançon', kind: 'france_travail' },
  departementPmi: {
    id: 'departement-pmi',
    name: 'Département des Hautes-Alpes — protection maternelle et infantile',
    kind: 'departement_social_service',
  },
  departementAutonomie: {
    id: 'departement-autonomie',
    name: 'Département des Hautes-Alpes — pôle autonomie',
    kind: 'departement_social_service',
  },
  mdph: { id: 'mdph', name: 'MDPH des Hautes-Alpes', kind: 'other' },
  cidff: { id: 'cidff', name: 'CIDFF des Hautes-Alpes', kind: 'association' },
  udaf: { id: 'udaf', name: 'UDAF des Hautes-Alpes', kind: 'association' },
  cdad: { id: 'cdad', name: 'Conseil départemental de l’accès au droit des Hautes-Alpes', kind: 'other' },
  victimes: { id: 'aide-victimes', name: 'Association d’aide aux victimes des Alpes du Sud', kind: 'association' },
  femmes: { id: 'paroles-de-femmes', name: 'Association Paroles de femmes 05', kind: 'association' },
  gendarmerie: { id: 'gendarmerie', name: 'Groupement de gendarmerie des Hautes-Alpes', kind: 'other' },
  mairieLaragne: { id: 'mairie-laragne', name: 'Mairie de Laragne-Montéglin', kind: 'other' },
  sip: { id: 'sip-gap', name: 'Service des impôts des particuliers de Gap', kind: 'other' },
  prefecture: { id: 'prefecture', name: 'Préfecture des Hautes-Alpes', kind: 'other' },
  carsat: { id: 'carsat', name: 'CARSAT Sud-Est — agence retraite de Gap', kind: 'other' },
  ccSb: { id: 'cc-sisteronais-buech', name: 'Communauté de communes du Sisteronais-Buëch', kind: 'other' },
  sauvegarde: { id: 'sauvegarde-05', name: 'Association de sauvegarde de l’enfance des Hautes-Alpes', kind: 'association' },
  cio: { id: 'cio-gap', name: 'Centre d’information et d’orientation de Gap', kind: 'other' },
  chGap: { id: 'ch-gap', name: 'Centre hospitalier intercommunal des Alpes du Sud', kind: 'other' },
  chBuech: { id: 'ch-buech-durance', name: 'Centre hospitalier Buëch-Durance', kind: 'other' },
  mspLaragne: { id: 'msp-laragne', name: 'Maison de santé pluriprofessionnelle du Laragnais', kind: 'other' },
  addictions: { id: 'csapa-05', name: 'Association Addictions Alpes du Sud', kind: 'association' },
  aideDomicileBriancon: { id: 'cias-briancon', name: 'CIAS du Briançonnais', kind: 'ccas' },
  aideDomicileEmbrun: { id: 'adom-embrun', name: 'Association Aide à domicile de l’Embrunais', kind: 'association' },
  restos: { id: 'aide-alimentaire-gap', name: 'Banque alimentaire solidaire des Alpes du Sud', kind: 'association' },
  secours: { id: 'solidarite-briancon', name: 'Collectif Solidarité Briançonnais', kind: 'association' },
  capEmploi: { id: 'cap-emploi', name: 'Cap emploi des Hautes-Alpes', kind: 'other' },
  insertion: { id: 'chantier-buech', name: 'Chantier d’insertion Buëch Nature', kind: 'association' },
  saisonniers: { id: 'saisonniers-briancon', name: 'Maison des saisonniers du Briançonnais', kind: 'association' },
  cma: { id: 'cma', name: 'Chambre de métiers et de l’artisanat des Hautes-Alpes', kind: 'other' },
  initiative: { id: 'initiative-05', name: 'Initiative Alpes du Sud — plateforme de prêts d’honneur', kind: 'association' },
  agriculture: { id: 'chambre-agriculture', name: 'Chambre d’agriculture des Hautes-Alpes', kind: 'other' },
  greta: { id: 'greta', name: 'GRETA des Alpes du Sud', kind: 'other' },
  cep: { id: 'cep', name: 'Conseil en évolution professionnelle — opérateur régional', kind: 'other' },
  siao: { id: 'siao', name: 'SIAO des Hautes-Alpes', kind: 'association' },
  adil: { id: 'adil', name: 'ADIL des Hautes-Alpes', kind: 'association' },
  bailleur: { id: 'office-habitat', name: 'Office de l’habitat des Hautes-Alpes', kind: 'other' },
  chrs: { id: 'chrs-gap', name: 'Association Le Relais gapençais', kind: 'association' },
  fjt: { id: 'fjt-gap', name: 'Résidence habitat jeunes de Gap', kind: 'association' },
  mobilite: { id: 'mobilite-05', name: 'Plateforme mobilité Alpes du Sud', kind: 'association' },
  region: { id: 'region-sud', name: 'Région Sud — transports régionaux', kind: 'other' },
  mediatheque: { id: 'mediatheque-laragne', name: 'Médiathèque intercommunale de Laragne-Montéglin', kind: 'other' },
  biblio: {
    id: 'mediatheque-departementale',
    name: 'Médiathèque départementale des Hautes-Alpes',
    kind: 'departement_social_service',
  },
  centreSocial: { id: 'centre-social-serres', name: 'Centre social rural du Serrois-Rosanais', kind: 'association' },
  poste: { id: 'la-poste', name: 'La Poste — bureau de Laragne-Montéglin', kind: 'other' },
  renov: { id: 'france-renov', name: 'Espace conseil France Rénov’ des Hautes-Alpes', kind: 'other' },
  garage: { id: 'garage-solidaire', name: 'Garage solidaire du Gapençais', kind: 'association' },
  epicerieAmbulante: { id: 'epicerie-ambulante', name: 'Épicerie ambulante des Baronnies', kind: 'other' },
} as const satisfies Record<string, DirectoryServiceInput['organisation']>;

type Draft = Omit<
  DirectoryServiceInput,
  | 'locations'
  | 'contact'
  | 'publics'
  | 'eligibility'
  | 'cost'
  | 'prerequisites'
  | 'documents'
  | 'howToApply'
  | 'permanences'
  | 'lastVerifiedAt'
> & {
  lastVerifiedAt?: string;
  bundles: BundleCode[];
  locations?: Array<Omit<Location, 'id'>>;
  permanences?: Permanence[];
  publics?: DirectoryServiceInput['publics'];
  eligibility?: string;
  cost?: DirectoryServiceInput['cost'];
  prerequisites?: string[];
  documents?: string[];
  howToApply?: DirectoryServiceInput['howToApply'];
  contact?: DirectoryServiceInput['contact'];
};

let phoneCounter = 10;

function service(draft: Draft): DirectoryServiceInput {
  phoneCounter += 1;
  const { locations = [], ...rest } = draft;
  return {
    publics: ['all'],
    eligibility: 'Toute personne résidant dans les communes desservies.',
    cost: { kind: 'free' },
    prerequisites: [],
    documents: [],
    howToApply: { modes: ['walk_in', 'phone'], description: 'Se présenter aux heures d’ouverture ou téléphoner.' },
    permanences: [],
    contact: {
      phone: `04 65 ${71 + Math.floor(phoneCounter / 100)} ${String(phoneCounter % 100).padStart(2, '0')} 00`,
      email: `${draft.id}@demo.parcours.test`,
    },
    lastVerifiedAt: '2026-11-02',
    ...rest,
    locations: locations.map((location, index) => ({ id: `${draft.id}-lieu-${index + 1}`, ...location })),
  };
}

const rows: DirectoryServiceInput[] = [
  // 1. Information et orientation
  service({
    id: 'fs-laragne-accueil',
    organisation: organisations.fsLaragne,
    name: 'Accueil France Services de Laragne-Montéglin',
    description:
      'Accueil, information et aide aux démarches administratives (CAF, CPAM, MSA, France Travail, impôts, ANTS) ; point de visio avec les partenaires.',
    bundles: ['information-orientation', 'formalites-administratives'],
    locations: [
      premises(
        laragne,
        'France Services',
        '2 place des Aires',
        hours(weekdaysMondayToFriday, '09:00-12:00', '13:30-17:00'),
        'Arrêt de car Zou ! « Laragne centre » ; accès de plain-pied',
      ),
    ],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  service({
    id: 'fs-bus-buech',
    organisation: organisations.fsLaragne,
    name: 'Bus France Services du Buëch et des Baronnies',
    description:
      'Le bus France Services vient dans les villages une journée par semaine : démarches en ligne, dossiers CAF et CPAM, prise de rendez-vous en visio.',
    bundles: ['information-orientation', 'formalites-administratives'],
    permanences: [
      permanence('itinerant', rosans, 'Place du village', 'MO', '09:30-16:00'),
      permanence('itinerant', orpierre, 'Parking de la mairie', 'TU', '09:30-16:00'),
      permanence('itinerant', valBuechMeouge, 'Place de Ribiers', 'WE', '09:30-16:00'),
      permanence('itinerant', aspres, 'Devant la gare', 'TH', '09:30-16:00'),
      permanence('itinerant', ventavon, 'Place de la mairie', 'FR', '09:30-12:30', 'every_two_weeks'),
    ],
    communesServed: [...communesOfBassins('sisteronaisBuech'), aspres.code],
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  service({
    id: 'fs-serres-accueil',
    organisation: organisations.fsSerres,
    name: 'Accueil France Services de Serres',
    description: 'Accueil et accompagnement aux démarches administratives et numériques pour le Serrois et le Rosanais.',
    bundles: ['information-orientation', 'formalites-administratives'],
    locations: [
      premises(serres, 'France Services', '5 rue Henri Thivollet', hours(['MO', 'TU', 'TH', 'FR'], '09:00-12:00', '14:00-17:00')),
    ],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  service({
    id: 'fs-briancon-accueil',
    organisation: organisations.fsBriancon,
    name: 'Accueil France Services du Briançonnais',
    description: 'Information et aide aux démarches administratives ; point de visio avec la CAF, la CPAM et les impôts.',
    bundles: ['information-orientation', 'formalites-administratives'],
    locations: [premises(briancon, 'France Services', '1 avenue de la République')],
    communesServed: communesOfBassins('brianconnais', 'ecrins'),
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  service({
    id: 'fs-embrun-accueil',
    organisation: organisations.fsEmbrun,
    name: 'Accueil France Services d’Embrun',
    description: 'Information et aide aux démarches administratives et numériques pour l’Embrunais et le Savinois.',
    bundles: ['information-orientation', 'formalites-administratives'],
    locations: [premises(embrun, 'France Services', '12 rue de la Liberté')],
    communesServed: communesOfBassins('serrePoncon'),
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  service({
    id: 'fs-queyras-itinerant',
    organisation: organisations.fsQueyras,
    name: 'France Services itinérante du Guillestrois et du Queyras',
    description:
      'Un conseiller France Services tient une permanence dans les villages de montagne, avec un point de visio vers les partenaires.',
    bundles: ['information-orientation', 'formalites-administratives'],
    locations: [
      premises(
        guillestre,
        'Maison de la communauté de communes',
        'Place Salva',
        hours(['MO', 'WE'], '09:00-12:00', '13:30-17:00'),
      ),
    ],
    permanences: [
      permanence('itinerant', aiguilles, 'Salle du conseil municipal', 'TU', '09:00-12:30'),
      permanence('itinerant', abries, 'Mairie', 'TU', '14:00-16:30'),
      permanence('itinerant', ceillac, 'Maison du village', 'TH', '09:00-12:00', 'every_two_weeks'),
      permanence('itinerant', saintVeran, 'Mairie', 'FR', '09:30-12:00', 'every_two_weeks'),
    ],
    communesServed: communesOfBassins('guillestroisQueyras'),
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  service({
    id: 'fs-champsaur-accueil',
    organisation: organisations.fsChampsaur,
    name: 'Accueil France Services du Champsaur-Valgaudemar',
    description: 'Accueil et aide aux démarches ; permanence mensuelle à Saint-Firmin pour le Valgaudemar.',
    bundles: ['information-orientation', 'formalites-administratives'],
    locations: [premises(saintBonnet, 'France Services', 'Rue du Chevreril')],
    permanences: [permanence('on_site', saintFirmin, 'Mairie de Saint-Firmin', 'WE', '09:00-12:00', 'monthly')],
    communesServed: communesOfBassins('champsaurValgaudemar'),
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  service({
    id: 'dac-appui-coordination',
    organisation: organisations.dac,
    name: 'Appui aux situations complexes et gestion de cas',
    description:
      'Appui aux professionnels pour les situations complexes (santé, autonomie, isolement) et gestion de cas (ex-MAIA) quand la situation est instable et l’entourage ne peut pas coordonner.',
    bundles: ['information-orientation', 'sante', 'aide-accompagnement-social'],
    publics: ['seniors', 'people_with_disabilities', 'carers'],
    eligibility: 'Situations complexes signalées par un professionnel ; gestion de cas selon les critères MAIA.',
    howToApply: { modes: ['referral', 'phone'], description: 'Orientation par un professionnel, par Parcours ou par téléphone.' },
    locations: [premises(gap, 'DAC 05', '7 rue Carnot')],
    permanences: [permanence('visio', laragne, fsLaragne, 'TH', '14:00-16:00', 'every_two_weeks')],
    communesServed: allCommunes,
    waitingTimeDays: 15,
    acceptsReferrals: true,
  }),
  service({
    id: 'mdph-accueil',
    organisation: organisations.mdph,
    name: 'Accueil et information de la MDPH',
    description:
      'Information sur les droits des personnes handicapées (AAH, PCH, RQTH, carte mobilité inclusion) et aide au dossier MDPH.',
    bundles: ['information-orientation', 'prestations-sociales'],
    publics: ['people_with_disabilities', 'carers'],
    documents: ['Certificat médical de moins d’un an', 'Justificatif d’identité', 'Justificatif de domicile'],
    locations: [premises(gap, 'MDPH', '10 route de Rambaud')],
    permanences: [
      permanence('visio', laragne, fsLaragne, 'MO', '14:00-16:00', 'monthly'),
      permanence('visio', briancon, 'France Services du Briançonnais', 'TU', '14:00-16:00', 'monthly'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 20,
    acceptsReferrals: true,
  }),
  service({
    id: 'pij-gap',
    organisation: organisations.ccasGap,
    name: 'Point information jeunesse de Gap',
    description: 'Information des jeunes sur les études, l’emploi saisonnier, le logement, la santé et les loisirs.',
    bundles: ['information-orientation', 'culture-sport-loisirs'],
    publics: ['young_people', 'students'],
    locations: [premises(gap, 'Point information jeunesse', '3 rue Jean Eymar', hours(['TU', 'WE', 'TH', 'FR'], '13:30-18:00'))],
    communesServed: communesOfBassins('gapTallard'),
    waitingTimeDays: 0,
    acceptsReferrals: false,
  }),
  // 2. Sécurité
  service({
    id: 'gendarmerie-maison-protection-familles',
    organisation: organisations.gendarmerie,
    name: 'Maison de protection des familles',
    description:
      'Écoute et accompagnement des victimes de violences intrafamiliales, en lien avec les brigades ; en cas d’urgence, appeler le 17.',
    bundles: ['securite', 'justice-droit'],
    publics: ['women', 'families'],
    howToApply: { modes: ['phone', 'appointment'], description: 'Sur rendez-vous par téléphone ; le 17 en cas d’urgence.' },
    locations: [premises(gap, 'Caserne de gendarmerie', '2 avenue du Commandant Dumont')],
    communesServed: allCommunes,
    waitingTimeDays: 2,
    acceptsReferrals: false,
  }),
  service({
    id: 'gendarmerie-laragne-accueil',
    organisation: organisations.gendarmerie,
    name: 'Brigade de gendarmerie de Laragne-Montéglin — accueil du public',
    description: 'Dépôt de plainte, signalements et conseils de sécurité ; prise de rendez-vous pour plainte en ligne.',
    bundles: ['securite'],
    locations: [
      premises(
        laragne,
        'Brigade de gendarmerie',
        'Avenue de Provence',
        hours(['MO', 'WE', 'FR', 'SA'], '08:00-12:00', '14:00-18:00'),
      ),
    ],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 0,
    acceptsReferrals: false,
  }),
  service({
    id: 'paroles-de-femmes-accueil',
    organisation: organisations.femmes,
    name: 'Accueil de jour et mise en sécurité des femmes victimes de violences',
    description:
      'Écoute, accompagnement juridique et social, mise à l’abri en urgence des femmes victimes de violences et de leurs enfants.',
    bundles: ['securite', 'hebergement-logement', 'aide-accompagnement-social'],
    publics: ['women', 'families'],
    howToApply: {
      modes: ['phone', 'walk_in', 'referral'],
      description: 'Accueil sans rendez-vous à Gap ; permanence à Laragne ; orientation possible par Parcours.',
    },
    locations: [premises(gap, 'Accueil de jour', 'Adresse communiquée par téléphone')],
    permanences: [
      permanence('on_site', laragne, fsLaragne, 'WE', '09:30-12:00', 'every_two_weeks'),
      permanence('on_site', briancon, 'France Services du Briançonnais', 'TH', '09:30-12:00', 'every_two_weeks'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 1,
    acceptsReferrals: true,
  }),
  // 3. Justice et droit
  service({
    id: 'point-justice-briancon',
    organisation: organisations.padBriancon,
    name: 'Point-justice de Briançon',
    description:
      'Information juridique gratuite, consultations d’avocats, de notaires et de conciliateurs ; permanences de médiation familiale.',
    bundles: ['justice-droit'],
    howToApply: {
      modes: ['appointment', 'phone', 'referral'],
      description: 'Sur rendez-vous ; les orientations par Parcours reçoivent une réponse par lien.',
    },
    locations: [
      premises(briancon, 'Point-justice', '4 avenue Maurice Petsche', hours(['TU', 'TH'], '09:00-12:00', '14:00-17:00')),
    ],
    communesServed: communesOfBassins('brianconnais', 'ecrins', 'guillestroisQueyras'),
    waitingTimeDays: 10,
    acceptsReferrals: true,
  }),
  service({
    id: 'point-justice-gap',
    organisation: organisations.cdad,
    name: 'Point-justice de Gap — consultations juridiques',
    description:
      'Consultations gratuites d’avocats et de juristes (famille, logement, travail, dettes) ; permanence mensuelle en visio à Laragne.',
    bundles: ['justice-droit'],
    howToApply: { modes: ['appointment', 'phone'], description: 'Sur rendez-vous.' },
    locations: [
      premises(gap, 'Palais de justice — Point-justice', 'Place Saint-Arnoux', hours(['MO', 'WE', 'FR'], '09:00-12:00')),
    ],
    permanences: [permanence('visio', laragne, fsLaragne, 'FR', '14:00-16:00', 'monthly')],
    communesServed: communesOfBassins(
      'gapTallard',
      'sisteronaisBuech',
      'buechDevoluy',
      'champsaurValgaudemar',
      'valDAvance',
      'serrePoncon',
    ),
    waitingTimeDays: 14,
    acceptsReferrals: false,
  }),
  service({
    id: 'conciliateur-laragne',
    organisation: organisations.cdad,
    name: 'Conciliateur de justice — permanence du Laragnais',
    description: 'Règlement amiable des litiges de voisinage, de consommation, entre locataire et propriétaire.',
    bundles: ['justice-droit'],
    howToApply: { modes: ['appointment'], description: 'Rendez-vous auprès de France Services de Laragne-Montéglin.' },
    permanences: [permanence('on_site', laragne, fsLaragne, 'TU', '09:00-12:00', 'monthly')],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 21,
    acceptsReferrals: false,
  }),
  service({
    id: 'mediation-familiale-udaf',
    organisation: organisations.udaf,
    name: 'Médiation familiale',
    description:
      'Médiation lors d’une séparation, d’un conflit familial ou intergénérationnel ; participation selon les ressources (barème CAF).',
    bundles: ['justice-droit', 'aide-accompagnement-social'],
    publics: ['families'],
    cost: { kind: 'income_based', description: 'Barème national de la CAF, de 2 à 131 € par séance.' },
    howToApply: { modes: ['appointment', 'phone', 'referral'], description: 'Entretien d’information gratuit sur rendez-vous.' },
    locations: [premises(gap, 'UDAF', '18 rue Carnot')],
    permanences: [
      permanence('on_site', laragne, fsLaragne, 'MO', '09:00-12:00', 'every_two_weeks'),
      permanence('on_site', embrun, 'France Services d’Embrun', 'TH', '14:00-17:00', 'every_two_weeks'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 30,
    acceptsReferrals: true,
  }),
  service({
    id: 'protection-majeurs-udaf',
    organisation: organisations.udaf,
    name: 'Service mandataire judiciaire à la protection des majeurs',
    description:
      'Exercice des mesures de curatelle et de tutelle ordonnées par le juge ; information et soutien des tuteurs familiaux.',
    bundles: ['justice-droit', 'aide-accompagnement-social'],
    publics: ['seniors', 'people_with_disabilities', 'carers'],
    eligibility: 'Mesure ordonnée par le juge des contentieux de la protection ; information des familles ouverte à tous.',
    howToApply: {
      modes: ['phone', 'appointment'],
      description: 'Les mesures sont confiées par le juge ; les familles peuvent prendre rendez-vous pour être informées.',
    },
    locations: [premises(gap, 'UDAF', '18 rue Carnot')],
    communesServed: allCommunes,
    waitingTimeDays: 60,
    acceptsReferrals: false,
  }),
  service({
    id: 'aide-victimes',
    organisation: organisations.victimes,
    name: 'Aide aux victimes d’infractions',
    description:
      'Écoute, information sur les droits et la procédure, accompagnement au procès et soutien psychologique des victimes.',
    bundles: ['justice-droit', 'securite'],
    howToApply: {
      modes: ['phone', 'appointment', 'referral'],
      description: 'Sur rendez-vous ; orientation par la gendarmerie ou par Parcours.',
    },
    locations: [premises(gap, 'Bureau d’aide aux victimes', 'Place Saint-Arnoux')],
    permanences: [permanence('on_site', briancon, 'Point-justice de Briançon', 'WE', '09:00-12:00', 'every_two_weeks')],
    communesServed: allCommunes,
    waitingTimeDays: 5,
    acceptsReferrals: true,
  }),
  service({
    id: 'cidff-droits',
    organisation: organisations.cidff,
    name: 'Information juridique et accompagnement vers l’emploi des femmes',
    description:
      'Information sur les droits (famille, séparation, violences, travail) et accompagnement vers l’emploi, avec permanences dans les France Services.',
    bundles: ['justice-droit', 'information-orientation', 'emploi'],
    publics: ['women', 'families'],
    howToApply: { modes: ['appointment', 'phone', 'referral'], description: 'Sur rendez-vous.' },
    locations: [premises(gap, 'CIDFF', '1 place de Verdun')],
    permanences: [
      permanence('on_site', laragne, fsLaragne, 'TH', '09:00-12:00', 'every_two_weeks'),
      permanence('on_site', embrun, 'France Services d’Embrun', 'TU', '09:00-12:00', 'monthly'),
      permanence('visio', briancon, 'France Services du Briançonnais', 'FR', '14:00-16:00', 'monthly'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 12,
    acceptsReferrals: true,
  }),
  // 4. Formalités administratives
  service({
    id: 'mairie-laragne-titres',
    organisation: organisations.mairieLaragne,
    name: 'Mairie de Laragne-Montéglin — état civil et titres d’identité',
    description:
      'Cartes d’identité et passeports sur rendez-vous (station biométrique), état civil, recensement, listes électorales.',
    bundles: ['formalites-administratives'],
    howToApply: {
      modes: ['appointment', 'online'],
      description: 'Pré-demande sur le site de l’ANTS puis rendez-vous en mairie.',
    },
    documents: ['Pré-demande ANTS', 'Photo d’identité', 'Justificatif de domicile'],
    locations: [premises(laragne, 'Mairie', 'Place de la Mairie')],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 25,
    acceptsReferrals: false,
  }),
  service({
    id: 'impots-particuliers',
    organisation: organisations.sip,
    name: 'Impôts des particuliers — accueil et rendez-vous',
    description:
      'Déclaration de revenus, avis d’imposition (utile pour les aides sociales), délais de paiement et remises gracieuses ; rendez-vous en visio depuis les France Services.',
    bundles: ['formalites-administratives'],
    howToApply: { modes: ['appointment', 'online', 'phone'], description: 'Rendez-vous sur impots.gouv.fr ou par téléphone.' },
    locations: [
      premises(
        gap,
        'Centre des finances publiques',
        '7 boulevard de la Libération',
        hours(weekdaysMondayToFriday, '08:30-12:00'),
      ),
    ],
    permanences: [
      permanence('visio', laragne, fsLaragne, 'TU', '14:00-16:30'),
      permanence('visio', saintBonnet, 'France Services de Saint-Bonnet-en-Champsaur', 'TH', '14:00-16:30', 'every_two_weeks'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 7,
    acceptsReferrals: false,
  }),
  service({
    id: 'prefecture-etrangers',
    organisation: organisations.prefecture,
    name: 'Accueil des étrangers — titres de séjour',
    description:
      'Demandes et renouvellements de titres de séjour (démarches en ligne sur l’ANEF), rendez-vous pour remise des titres.',
    bundles: ['formalites-administratives'],
    publics: ['migrants'],
    howToApply: { modes: ['online', 'appointment'], description: 'Demande en ligne ; les France Services aident à la saisie.' },
    locations: [premises(gap, 'Préfecture', '28 rue Saint-Arey', hours(['MO', 'TU', 'TH'], '08:30-11:30'))],
    communesServed: allCommunes,
    waitingTimeDays: 45,
    acceptsReferrals: false,
  }),
  // 5. Prestations sociales
  service({
    id: 'caf-acces-droits',
    organisation: organisations.caf,
    name: 'CAF — rendez-vous d’accès aux droits',
    description:
      'Étude des droits (RSA, prime d’activité, aides au logement, prestations familiales, AAH) et aide au dossier, en agence, en visio depuis les France Services ou en permanence.',
    bundles: ['prestations-sociales'],
    documents: ['Numéro allocataire ou numéro de sécurité sociale', 'Justificatifs de ressources des trois derniers mois'],
    howToApply: {
      modes: ['appointment', 'online', 'referral'],
      description: 'Rendez-vous sur caf.fr, au téléphone ou par orientation Parcours.',
    },
    locations: [premises(gap, 'Agence CAF', '8 avenue des Alpes')],
    permanences: [
      permanence('visio', laragne, fsLaragne, 'MO', '09:00-12:00'),
      permanence('visio', serres, 'France Services du Serrois-Rosanais', 'TH', '09:00-12:00', 'every_two_weeks'),
      permanence('on_site', briancon, 'France Services du Briançonnais', 'WE', '09:00-12:00'),
      permanence('on_site', embrun, 'France Services d’Embrun', 'TU', '13:30-16:30'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 10,
    acceptsReferrals: true,
  }),
  service({
    id: 'caf-travailleurs-sociaux',
    organisation: organisations.caf,
    name: 'CAF — accompagnement social des familles',
    description: 'Travailleurs sociaux de la CAF : séparation, décès d’un parent, naissance, impayés de loyer des allocataires.',
    bundles: ['aide-accompagnement-social', 'prestations-sociales'],
    publics: ['families'],
    eligibility: 'Allocataires de la CAF avec enfant à charge ou attendu.',
    howToApply: { modes: ['referral', 'phone'], description: 'Sur orientation ou à la demande de l’allocataire.' },
    locations: [premises(gap, 'Agence CAF', '8 avenue des Alpes')],
    permanences: [permanence('on_site', laragne, fsLaragne, 'TH', '14:00-17:00', 'every_two_weeks')],
    communesServed: allCommunes,
    waitingTimeDays: 15,
    acceptsReferrals: true,
  }),
  service({
    id: 'cpam-acces-droits',
    organisation: organisations.cpam,
    name: 'CPAM — accès aux droits santé',
    description:
      'Ouverture des droits à l’assurance maladie, complémentaire santé solidaire (CSS), aide médicale de l’État, carte Vitale.',
    bundles: ['prestations-sociales', 'sante'],
    documents: ['Justificatif d’identité', 'Justificatifs de ressources des douze derniers mois'],
    howToApply: {
      modes: ['appointment', 'online', 'referral'],
      description: 'Rendez-vous sur ameli.fr, par téléphone ou par orientation Parcours.',
    },
    locations: [
      premises(gap, 'Accueil CPAM', '15 avenue Commandant Dumont'),
      premises(briancon, 'Accueil CPAM', '2 rue Centrale', hours(['TU', 'TH'], '08:30-12:00', '13:30-16:30')),
    ],
    permanences: [permanence('visio', laragne, fsLaragne, 'WE', '09:00-12:00')],
    communesServed: allCommunes,
    waitingTimeDays: 8,
    acceptsReferrals: true,
  }),
  service({
    id: 'cpam-mission-accompagnement-sante',
    organisation: organisations.cpam,
    name: 'Mission accompagnement santé (renoncement aux soins)',
    description:
      'Accompagnement des assurés qui renoncent à des soins : droits, recherche d’un médecin traitant, devis, aides financières.',
    bundles: ['sante', 'prestations-sociales'],
    howToApply: {
      modes: ['referral', 'phone'],
      description: 'Sur orientation d’un partenaire (Parcours) ou à la demande de l’assuré.',
    },
    locations: [premises(gap, 'Accueil CPAM', '15 avenue Commandant Dumont')],
    communesServed: allCommunes,
    waitingTimeDays: 7,
    acceptsReferrals: true,
  }),
  service({
    id: 'msa-guichet',
    organisation: organisations.msa,
    name: 'MSA — accueil des assurés agricoles',
    description:
      'Prestations familiales, santé et retraite des exploitants et salariés agricoles ; permanence mensuelle à Laragne.',
    bundles: ['prestations-sociales'],
    publics: ['workers', 'families', 'seniors'],
    eligibility: 'Assurés relevant du régime agricole.',
    howToApply: { modes: ['appointment', 'phone', 'referral'], description: 'Sur rendez-vous.' },
    locations: [premises(gap, 'Agence MSA', '6 rue Pasteur')],
    permanences: [permanence('on_site', laragne, fsLaragne, 'FR', '09:00-12:00', 'monthly')],
    communesServed: allCommunes,
    waitingTimeDays: 10,
    acceptsReferrals: true,
  }),
  service({
    id: 'msa-action-sociale',
    organisation: organisations.msa,
    name: 'MSA — action sociale et agriculteurs en difficulté',
    description: 'Travailleurs sociaux de la MSA : exploitants en difficulté, aidants, prévention du mal-être agricole.',
    bundles: ['aide-accompagnement-social'],
    publics: ['workers', 'carers'],
    eligibility: 'Assurés relevant du régime agricole.',
    howToApply: { modes: ['referral', 'phone'], description: 'Sur orientation ou à la demande de l’assuré.' },
    locations: [premises(gap, 'Agence MSA', '6 rue Pasteur')],
    communesServed: allCommunes,
    waitingTimeDays: 12,
    acceptsReferrals: true,
  }),
  service({
    id: 'carsat-retraite',
    organisation: organisations.carsat,
    name: 'Information retraite et ASPA',
    description:
      'Demande de retraite, allocation de solidarité aux personnes âgées (ASPA), rendez-vous en visio depuis les France Services.',
    bundles: ['prestations-sociales'],
    publics: ['seniors'],
    howToApply: { modes: ['appointment', 'online'], description: 'Rendez-vous sur lassuranceretraite.fr ou au 39 60.' },
    locations: [premises(gap, 'Agence retraite', '5 rue de la Gare', hours(['MO', 'TU', 'TH'], '08:30-12:00'))],
    permanences: [
      permanence('visio', laragne, fsLaragne, 'TH', '09:00-11:00', 'every_two_weeks'),
      permanence('visio', guillestre, 'France Services itinérante du Guillestrois et du Queyras', 'MO', '14:00-16:00', 'monthly'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 20,
    acceptsReferrals: false,
  }),
  // 6. Petite enfance
  service({
    id: 'pmi-consultations',
    organisation: organisations.departementPmi,
    name: 'Consultations de PMI (protection maternelle et infantile)',
    description:
      'Suivi de grossesse par une sage-femme, consultations des nourrissons, vaccinations, visites à domicile de puériculture.',
    bundles: ['petite-enfance', 'sante'],
    publics: ['families'],
    eligibility: 'Femmes enceintes et enfants de moins de 6 ans.',
    howToApply: { modes: ['appointment', 'phone', 'referral'], description: 'Sur rendez-vous.' },
    locations: [premises(gap, 'Centre de PMI', '2 rue Jean Eymar')],
    permanences: [
      permanence('on_site', laragne, 'Maison des solidarités du Laragnais', 'TU', '09:00-12:00'),
      permanence('on_site', veynes, 'Maison des solidarités de Veynes', 'TH', '09:00-12:00', 'every_two_weeks'),
      permanence('on_site', serres, 'Mairie de Serres', 'FR', '09:00-12:00', 'monthly'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 7,
    acceptsReferrals: true,
  }),
  service({
    id: 'relais-petite-enfance-buech',
    organisation: organisations.ccSb,
    name: 'Relais petite enfance du Sisteronais-Buëch',
    description:
      'Information des parents sur les modes d’accueil, liste des assistantes maternelles, ateliers d’éveil itinérants.',
    bundles: ['petite-enfance'],
    publics: ['families'],
    locations: [
      premises(laragne, 'Relais petite enfance', 'Rue des Écoles', hours(['MO', 'TU', 'TH'], '09:00-12:00', '13:30-17:00')),
    ],
    permanences: [
      permanence('itinerant', serres, 'Salle polyvalente', 'WE', '09:00-11:30'),
      permanence('itinerant', rosans, 'Salle des fêtes', 'FR', '09:00-11:30', 'every_two_weeks'),
    ],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 3,
    acceptsReferrals: false,
  }),
  service({
    id: 'multi-accueil-laragne',
    organisation: organisations.ccSb,
    name: 'Multi-accueil « Les Petits Buëch »',
    description:
      'Crèche de 24 places ; places d’accueil d’urgence et pour les parents en insertion professionnelle (crèche AVIP).',
    bundles: ['petite-enfance'],
    publics: ['families', 'jobseekers'],
    eligibility: 'Enfants de 10 semaines à 4 ans.',
    cost: { kind: 'income_based', description: 'Barème de la CNAF selon les ressources.' },
    howToApply: { modes: ['appointment', 'referral'], description: 'Pré-inscription auprès du relais petite enfance.' },
    locations: [premises(laragne, 'Multi-accueil', '4 rue des Écoles', hours(weekdaysMondayToFriday, '07:30-18:30'))],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 90,
    acceptsReferrals: true,
  }),
  // 7. Éducation
  service({
    id: 'cio-orientation',
    organisation: organisations.cio,
    name: 'Conseil en orientation scolaire et professionnelle',
    description:
      'Psychologues de l’Éducation nationale : orientation des collégiens, lycéens et jeunes sortis du système scolaire sans diplôme.',
    bundles: ['education', 'information-orientation'],
    publics: ['young_people', 'students', 'families'],
    howToApply: { modes: ['appointment', 'phone'], description: 'Sur rendez-vous, pendant les vacances scolaires aussi.' },
    locations: [premises(gap, 'CIO', '4 rue des Silos')],
    permanences: [
      permanence('on_site', briancon, 'Lycée d’Altitude', 'WE', '13:30-17:00'),
      permanence('on_site', laragne, 'Collège des Hautes-Baronnies', 'TU', '13:30-16:30', 'every_two_weeks'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 10,
    acceptsReferrals: false,
  }),
  service({
    id: 'reussite-educative-gap',
    organisation: organisations.ccasGap,
    name: 'Programme de réussite éducative de Gap',
    description:
      'Parcours individualisé pour des enfants de 2 à 16 ans en fragilité (scolarité, santé, loisirs), avec les parents.',
    bundles: ['education', 'aide-accompagnement-social'],
    publics: ['families', 'young_people'],
    eligibility: 'Enfants habitant les quartiers prioritaires de Gap.',
    howToApply: { modes: ['referral'], description: 'Sur orientation de l’école, du service social ou par Parcours.' },
    locations: [premises(gap, 'CCAS', '11 rue Colonel Roux')],
    communesServed: [gap.code],
    waitingTimeDays: 20,
    acceptsReferrals: true,
  }),
  service({
    id: 'aemo-sauvegarde',
    organisation: organisations.sauvegarde,
    name: 'Action éducative en milieu ouvert (AEMO)',
    description:
      'Accompagnement éducatif des enfants et de leurs parents au domicile, sur décision du juge des enfants ou du Département.',
    bundles: ['education', 'aide-accompagnement-social'],
    publics: ['families', 'young_people'],
    eligibility: 'Mesure décidée par le juge des enfants ou l’aide sociale à l’enfance.',
    howToApply: { modes: ['referral'], description: 'Mesure ordonnée ; pas de demande directe.' },
    locations: [premises(gap, 'Service AEMO', '20 rue de France')],
    communesServed: allCommunes,
    waitingTimeDays: 45,
    acceptsReferrals: false,
  }),
  service({
    id: 'accompagnement-scolarite-laragne',
    organisation: organisations.association,
    name: 'Accompagnement à la scolarité (CLAS)',
    description:
      'Aide aux devoirs et ateliers du soir pour les écoliers et collégiens, avec un temps d’échange avec les parents.',
    bundles: ['education', 'culture-sport-loisirs'],
    publics: ['families', 'young_people'],
    cost: { kind: 'paid', description: 'Adhésion annuelle de 10 € par famille.' },
    locations: [premises(laragne, 'Local de l’association', '9 avenue de Provence', hours(['MO', 'TU', 'TH'], '16:30-18:30'))],
    communesServed: [laragne.code, '05103', '05173', '05073', '05178'],
    waitingTimeDays: 7,
    acceptsReferrals: true,
  }),
  // 8. Santé
  service({
    id: 'pass-chicas',
    organisation: organisations.chGap,
    name: 'Permanence d’accès aux soins de santé (PASS)',
    description:
      'Consultations médicales et aide à l’ouverture des droits pour les personnes sans couverture maladie ou en difficulté d’accès aux soins.',
    bundles: ['sante'],
    publics: ['all', 'homeless', 'migrants'],
    howToApply: { modes: ['walk_in', 'phone'], description: 'Sans rendez-vous le matin, au rez-de-chaussée de l’hôpital.' },
    locations: [
      premises(gap, 'Centre hospitalier — PASS', '1 place Auguste Muret', hours(weekdaysMondayToFriday, '09:00-12:00')),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 1,
    acceptsReferrals: false,
  }),
  service({
    id: 'msp-laragne-consultations',
    organisation: organisations.mspLaragne,
    name: 'Maison de santé du Laragnais — médecins généralistes et infirmiers',
    description:
      'Médecins généralistes, infirmiers, kinésithérapeutes et sage-femme ; recherche d’un médecin traitant pour les nouveaux habitants.',
    bundles: ['sante'],
    cost: { kind: 'paid', description: 'Secteur 1, tiers payant pour les bénéficiaires de la CSS.' },
    howToApply: { modes: ['appointment', 'phone', 'online'], description: 'Sur rendez-vous.' },
    locations: [premises(laragne, 'Maison de santé', '15 avenue de Provence', hours(weekdaysMondayToFriday, '08:00-19:00'))],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 14,
    acceptsReferrals: false,
  }),
  service({
    id: 'cmp-laragne',
    organisation: organisations.chBuech,
    name: 'Centre médico-psychologique adultes du Laragnais',
    description: 'Consultations de psychiatres, psychologues et infirmiers en santé mentale ; visites à domicile.',
    bundles: ['sante'],
    howToApply: {
      modes: ['phone', 'referral'],
      description: 'Premier entretien infirmier sur appel ou orientation du médecin traitant.',
    },
    locations: [premises(laragne, 'Centre médico-psychologique', 'Route de Serres')],
    communesServed: communesOfBassins('sisteronaisBuech', 'buechDevoluy'),
    waitingTimeDays: 40,
    acceptsReferrals: true,
  }),
  service({
    id: 'csapa-addictions',
    organisation: organisations.addictions,
    name: 'CSAPA — accompagnement des addictions',
    description:
      'Consultations pour l’alcool, le tabac, le cannabis, les jeux ; accompagnement de l’entourage ; consultations jeunes consommateurs.',
    bundles: ['sante'],
    howToApply: {
      modes: ['phone', 'walk_in', 'referral'],
      description: 'Premier rendez-vous rapide, anonyme si la personne le souhaite.',
    },
    locations: [premises(gap, 'CSAPA', '6 rue de l’Imprimerie')],
    permanences: [
      permanence('on_site', briancon, 'Centre hospitalier de Briançon', 'TU', '09:00-17:00'),
      permanence('on_site', laragne, 'Centre hospitalier Buëch-Durance', 'TH', '13:30-17:00', 'every_two_weeks'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 8,
    acceptsReferrals: true,
  }),
  service({
    id: 'ssiad-buech-durance',
    organisation: organisations.chBuech,
    name: 'Service de soins infirmiers à domicile (SSIAD)',
    description:
      'Soins d’hygiène et soins infirmiers à domicile pour les personnes âgées ou handicapées, sur prescription médicale.',
    bundles: ['services-a-domicile', 'sante'],
    publics: ['seniors', 'people_with_disabilities'],
    eligibility: 'Personnes de 60 ans et plus, ou en situation de handicap, sur prescription médicale.',
    howToApply: {
      modes: ['phone', 'referral'],
      description: 'Sur prescription, à la demande de la personne, de son médecin ou par Parcours.',
    },
    locations: [premises(laragne, 'Centre hospitalier Buëch-Durance', 'Route de Serres')],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 21,
    acceptsReferrals: true,
  }),
  // 9. Services à domicile
  service({
    id: 'aide-domicile-buech',
    organisation: organisations.association,
    name: 'Service autonomie à domicile du Buëch',
    description:
      'Aide à la toilette, aux repas, au ménage et aux courses ; accompagnement des sorties ; financement APA ou caisse de retraite possible.',
    bundles: ['services-a-domicile'],
    publics: ['seniors', 'people_with_disabilities', 'families'],
    cost: { kind: 'income_based', description: 'Tarif horaire réduit par l’APA, la PCH ou la caisse de retraite.' },
    howToApply: { modes: ['phone', 'referral'], description: 'Visite d’évaluation à domicile dans la semaine.' },
    locations: [premises(laragne, 'Association Entraide Buëch-Durance', '9 avenue de Provence')],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 10,
    acceptsReferrals: true,
  }),
  service({
    id: 'aide-domicile-briancon',
    organisation: organisations.aideDomicileBriancon,
    name: 'Aide et accompagnement à domicile du Briançonnais',
    description: 'Aides à domicile pour les personnes âgées ou handicapées, garde de nuit, portage de repas en vallée.',
    bundles: ['services-a-domicile'],
    publics: ['seniors', 'people_with_disabilities'],
    cost: { kind: 'income_based' },
    howToApply: { modes: ['phone', 'referral'], description: 'Évaluation à domicile.' },
    locations: [premises(briancon, 'CIAS', '3 rue Aspirant Jan')],
    communesServed: communesOfBassins('brianconnais', 'ecrins'),
    waitingTimeDays: 14,
    acceptsReferrals: true,
  }),
  service({
    id: 'aide-domicile-embrun',
    organisation: organisations.aideDomicileEmbrun,
    name: 'Aide à domicile de l’Embrunais et du Savinois',
    description: 'Aide au ménage, aux repas et à la toilette ; aide aux aidants (relais à domicile).',
    bundles: ['services-a-domicile'],
    publics: ['seniors', 'people_with_disabilities', 'carers'],
    cost: { kind: 'income_based' },
    howToApply: { modes: ['phone', 'referral'], description: 'Évaluation à domicile.' },
    locations: [premises(embrun, 'Association', '22 boulevard Pasteur')],
    communesServed: communesOfBassins('serrePoncon', 'guillestroisQueyras'),
    waitingTimeDays: 18,
    acceptsReferrals: true,
  }),
  service({
    id: 'portage-repas-gap',
    organisation: organisations.ccasGap,
    name: 'Portage de repas à domicile',
    description: 'Livraison de repas équilibrés du lundi au samedi, régimes adaptés ; passage quotidien qui rompt l’isolement.',
    bundles: ['services-a-domicile', 'services-marchands-prives'],
    publics: ['seniors', 'people_with_disabilities'],
    cost: { kind: 'income_based', description: 'De 4 à 11 € le repas selon les ressources.' },
    locations: [premises(gap, 'CCAS', '11 rue Colonel Roux')],
    communesServed: communesOfBassins('gapTallard'),
    waitingTimeDays: 3,
    acceptsReferrals: true,
  }),
  service({
    id: 'teleassistance-departementale',
    organisation: organisations.departementAutonomie,
    name: 'Téléassistance départementale',
    description: 'Médaillon ou bracelet d’appel relié à une centrale 24 h/24, détecteur de chute, appels de convivialité.',
    bundles: ['services-a-domicile', 'securite'],
    publics: ['seniors', 'people_with_disabilities'],
    cost: { kind: 'income_based', description: 'Gratuit pour les bénéficiaires de l’APA, sinon abonnement mensuel.' },
    howToApply: {
      modes: ['phone', 'online', 'referral'],
      description: 'Formulaire en ligne ou par téléphone ; installation sous 10 jours.',
    },
    communesServed: allCommunes,
    waitingTimeDays: 10,
    acceptsReferrals: true,
  }),
  // 10. Aide et accompagnement social
  service({
    id: 'ccas-gap-accueil-social',
    organisation: organisations.ccasGap,
    name: 'CCAS de Gap — accueil social et aides facultatives',
    description:
      'Premier accueil social, aides financières d’urgence, domiciliation, instruction des demandes d’aide sociale légale.',
    bundles: ['aide-accompagnement-social', 'prestations-sociales'],
    eligibility: 'Habitants de Gap.',
    howToApply: { modes: ['walk_in', 'phone', 'referral'], description: 'Accueil sans rendez-vous le matin.' },
    locations: [premises(gap, 'CCAS', '11 rue Colonel Roux')],
    communesServed: [gap.code],
    waitingTimeDays: 3,
    acceptsReferrals: true,
  }),
  service({
    id: 'mds-laragnais',
    organisation: organisations.departement,
    name: 'Service social départemental — Maison des solidarités du Laragnais',
    description:
      'Accompagnement social global par une assistante sociale : budget, logement, famille, accès aux droits ; permanences dans les villages.',
    bundles: ['aide-accompagnement-social'],
    howToApply: {
      modes: ['appointment', 'phone', 'referral'],
      description: 'Rendez-vous par téléphone ou orientation Parcours.',
    },
    locations: [premises(laragne, 'Maison des solidarités', '1 rue de la Gare')],
    permanences: [
      permanence('on_site', serres, 'Mairie de Serres', 'TU', '09:00-12:00'),
      permanence('on_site', rosans, 'Mairie de Rosans', 'TH', '09:00-12:00', 'every_two_weeks'),
    ],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 10,
    acceptsReferrals: true,
  }),
  service({
    id: 'mds-gap',
    organisation: organisations.departement,
    name: 'Service social départemental — Maison des solidarités de Gap',
    description: 'Accompagnement social global : budget, logement, protection de l’enfance, accès aux droits.',
    bundles: ['aide-accompagnement-social'],
    howToApply: {
      modes: ['appointment', 'phone', 'referral'],
      description: 'Rendez-vous par téléphone ou orientation Parcours.',
    },
    locations: [premises(gap, 'Maison des solidarités', 'Place Saint-Arnoux')],
    permanences: [permanence('on_site', tallard, 'Mairie de Tallard', 'MO', '09:00-12:00')],
    communesServed: communesOfBassins('gapTallard', 'valDAvance'),
    waitingTimeDays: 12,
    acceptsReferrals: true,
  }),
  service({
    id: 'mds-briancon',
    organisation: organisations.departement,
    name: 'Service social départemental — Maison des solidarités du Briançonnais',
    description: 'Accompagnement social global ; permanences à L’Argentière-la-Bessée et Guillestre.',
    bundles: ['aide-accompagnement-social'],
    howToApply: {
      modes: ['appointment', 'phone', 'referral'],
      description: 'Rendez-vous par téléphone ou orientation Parcours.',
    },
    locations: [premises(briancon, 'Maison des solidarités', '6 avenue du Dauphiné')],
    permanences: [
      permanence('on_site', argentiere, 'Mairie', 'TU', '09:00-12:00'),
      permanence('on_site', guillestre, 'Maison de la communauté de communes', 'TH', '09:00-12:00'),
    ],
    communesServed: communesOfBassins('brianconnais', 'ecrins', 'guillestroisQueyras'),
    waitingTimeDays: 14,
    acceptsReferrals: true,
  }),
  service({
    id: 'mds-embrun',
    organisation: organisations.departement,
    name: 'Service social départemental — Maison des solidarités de l’Embrunais',
    description: 'Accompagnement social global ; permanences à Chorges et Savines-le-Lac.',
    bundles: ['aide-accompagnement-social'],
    howToApply: {
      modes: ['appointment', 'phone', 'referral'],
      description: 'Rendez-vous par téléphone ou orientation Parcours.',
    },
    locations: [premises(embrun, 'Maison des solidarités', '5 rue Clovis Hugues')],
    permanences: [
      permanence('on_site', chorges, 'Mairie', 'WE', '09:00-12:00', 'every_two_weeks'),
      permanence('on_site', savines, 'Mairie', 'FR', '09:00-12:00', 'every_two_weeks'),
    ],
    communesServed: communesOfBassins('serrePoncon'),
    waitingTimeDays: 9,
    acceptsReferrals: true,
  }),
  service({
    id: 'mds-champsaur-devoluy',
    organisation: organisations.departement,
    name: 'Service social départemental — Maison des solidarités Champsaur, Buëch et Dévoluy',
    description: 'Accompagnement social global depuis Saint-Bonnet et Veynes ; visites à domicile dans les hameaux.',
    bundles: ['aide-accompagnement-social'],
    howToApply: {
      modes: ['appointment', 'phone', 'referral'],
      description: 'Rendez-vous par téléphone ou orientation Parcours.',
    },
    locations: [
      premises(saintBonnet, 'Maison des solidarités', 'Place Grenette'),
      premises(veynes, 'Maison des solidarités', '3 avenue Jean Jaurès'),
    ],
    communesServed: communesOfBassins('champsaurValgaudemar', 'buechDevoluy'),
    waitingTimeDays: 11,
    acceptsReferrals: true,
  }),
  service({
    id: 'rsa-accompagnement',
    organisation: organisations.departement,
    name: 'Accompagnement des bénéficiaires du RSA',
    description:
      'Un référent unique construit avec la personne son contrat d’engagement : insertion sociale, santé, logement, retour à l’emploi.',
    bundles: ['aide-accompagnement-social', 'emploi'],
    publics: ['minimum_income_recipients'],
    eligibility: 'Bénéficiaires du RSA soumis aux droits et devoirs.',
    howToApply: { modes: ['referral'], description: 'Orientation après l’ouverture du droit, ou par Parcours.' },
    locations: [premises(gap, 'Direction de l’insertion', 'Place Saint-Arnoux')],
    permanences: [permanence('on_site', laragne, 'Maison des solidarités du Laragnais', 'MO', '13:30-17:00')],
    communesServed: allCommunes,
    waitingTimeDays: 20,
    acceptsReferrals: true,
  }),
  service({
    id: 'apa-evaluation',
    organisation: organisations.departementAutonomie,
    name: 'Allocation personnalisée d’autonomie — évaluation à domicile',
    description:
      'Une équipe médico-sociale évalue à domicile la perte d’autonomie (grille AGGIR) et propose un plan d’aide ; soutien des aidants.',
    bundles: ['aide-accompagnement-social', 'services-a-domicile'],
    publics: ['seniors', 'carers'],
    eligibility: 'Personnes de 60 ans et plus en perte d’autonomie (GIR 1 à 4).',
    documents: ['Formulaire de demande d’APA', 'Avis d’imposition', 'Justificatif d’identité'],
    howToApply: {
      modes: ['online', 'phone', 'referral'],
      description: 'Dossier en ligne ou papier ; orientation Parcours pour les situations urgentes.',
    },
    locations: [premises(gap, 'Pôle autonomie', 'Place Saint-Arnoux')],
    communesServed: allCommunes,
    waitingTimeDays: 30,
    acceptsReferrals: true,
  }),
  service({
    id: 'epicerie-solidaire-laragne',
    organisation: organisations.association,
    name: 'Épicerie solidaire du Buëch',
    description: 'Produits alimentaires et d’hygiène à 10–30 % du prix, ateliers cuisine et budget, pendant trois à six mois.',
    bundles: ['aide-accompagnement-social', 'services-marchands-prives'],
    eligibility: 'Reste à vivre inférieur au plafond de l’association, sur orientation d’un travailleur social.',
    cost: { kind: 'paid', description: '10 à 30 % du prix courant.' },
    howToApply: { modes: ['referral'], description: 'Orientation par un travailleur social ou par Parcours.' },
    locations: [premises(laragne, 'Épicerie solidaire', '9 avenue de Provence', hours(['TU', 'FR'], '14:00-18:00'))],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 3,
    acceptsReferrals: true,
  }),
  service({
    id: 'aide-alimentaire-gap',
    organisation: organisations.restos,
    name: 'Distribution alimentaire de Gap',
    description: 'Colis alimentaires et repas chauds l’hiver ; inscription sur justificatif de ressources.',
    bundles: ['aide-accompagnement-social'],
    publics: ['all', 'homeless'],
    documents: ['Justificatifs de ressources et de charges'],
    howToApply: { modes: ['walk_in'], description: 'Inscription le lundi matin.' },
    locations: [premises(gap, 'Centre de distribution', 'Zone des Eyssagnières', hours(['MO', 'WE', 'FR'], '09:00-12:00'))],
    communesServed: communesOfBassins('gapTallard', 'valDAvance', 'champsaurValgaudemar'),
    waitingTimeDays: 0,
    acceptsReferrals: false,
  }),
  service({
    id: 'solidarite-briancon',
    organisation: organisations.secours,
    name: 'Accueil solidaire du Briançonnais',
    description: 'Vestiaire, aide alimentaire, accueil des personnes exilées de passage, accompagnement aux démarches.',
    bundles: ['aide-accompagnement-social', 'services-marchands-prives'],
    publics: ['all', 'migrants', 'homeless'],
    locations: [premises(briancon, 'Local associatif', '14 rue du Temple', hours(['MO', 'WE', 'SA'], '14:00-18:00'))],
    communesServed: communesOfBassins('brianconnais', 'ecrins'),
    waitingTimeDays: 0,
    acceptsReferrals: false,
  }),
  service({
    id: 'centre-social-serrois',
    organisation: organisations.centreSocial,
    name: 'Centre social rural du Serrois-Rosanais',
    description:
      'Lieu de rencontre, ateliers, sorties familles, accompagnement des projets d’habitants et lutte contre l’isolement.',
    bundles: ['culture-sport-loisirs', 'aide-accompagnement-social'],
    publics: ['all', 'families', 'seniors'],
    cost: { kind: 'paid', description: 'Adhésion de 5 €.' },
    locations: [premises(serres, 'Centre social', 'Place du Lac', hours(['TU', 'WE', 'TH', 'FR'], '09:00-12:00', '14:00-18:00'))],
    permanences: [permanence('itinerant', rosans, 'Salle des fêtes', 'MO', '14:00-17:00', 'every_two_weeks')],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  // 11. Emploi
  service({
    id: 'france-travail-gap',
    organisation: organisations.franceTravail,
    name: 'France Travail — accompagnement des demandeurs d’emploi',
    description:
      'Inscription, indemnisation, accompagnement vers l’emploi et la formation ; rendez-vous en visio depuis France Services.',
    bundles: ['emploi'],
    publics: ['jobseekers', 'minimum_income_recipients'],
    howToApply: {
      modes: ['online', 'appointment', 'referral'],
      description: 'Inscription sur francetravail.fr ; rendez-vous en agence ou en visio.',
    },
    locations: [premises(gap, 'Agence France Travail', '2 rue du Forest d’Entrais')],
    permanences: [
      permanence('visio', laragne, fsLaragne, 'TU', '09:00-12:00'),
      permanence('visio', saintBonnet, 'France Services de Saint-Bonnet-en-Champsaur', 'FR', '09:00-12:00', 'every_two_weeks'),
    ],
    communesServed: communesOfBassins('gapTallard', 'sisteronaisBuech', 'buechDevoluy', 'champsaurValgaudemar', 'valDAvance'),
    waitingTimeDays: 7,
    acceptsReferrals: true,
  }),
  service({
    id: 'france-travail-briancon',
    organisation: organisations.ftBriancon,
    name: 'France Travail — agence de Briançon',
    description: 'Inscription, indemnisation, emploi saisonnier en station, accompagnement vers l’emploi.',
    bundles: ['emploi'],
    publics: ['jobseekers', 'workers'],
    howToApply: { modes: ['online', 'appointment'], description: 'Inscription sur francetravail.fr.' },
    locations: [
      premises(briancon, 'Agence France Travail', '8 avenue du Général de Gaulle'),
      premises(embrun, 'Relais France Travail', 'Place Barthelon', hours(['TU', 'TH'], '09:00-12:00')),
    ],
    communesServed: communesOfBassins('brianconnais', 'ecrins', 'guillestroisQueyras', 'serrePoncon'),
    waitingTimeDays: 9,
    acceptsReferrals: false,
  }),
  service({
    id: 'mission-locale-accompagnement',
    organisation: organisations.missionLocale,
    name: 'Mission locale — accompagnement des 16-25 ans',
    description: 'Emploi, formation, logement, santé, mobilité : accompagnement global des jeunes, contrat d’engagement jeune.',
    bundles: ['emploi', 'formation-professionnelle', 'information-orientation'],
    publics: ['young_people'],
    eligibility: 'Jeunes de 16 à 25 ans sortis du système scolaire.',
    howToApply: { modes: ['walk_in', 'phone', 'referral'], description: 'Premier accueil sans rendez-vous.' },
    locations: [premises(gap, 'Mission locale', '11 rue de Bonne')],
    permanences: [
      permanence('on_site', laragne, fsLaragne, 'TU', '09:00-12:00'),
      permanence('on_site', serres, 'France Services du Serrois-Rosanais', 'TH', '14:00-17:00', 'every_two_weeks'),
      permanence('on_site', embrun, 'France Services d’Embrun', 'WE', '09:00-12:00'),
      permanence('on_site', briancon, 'France Services du Briançonnais', 'MO', '09:00-17:00'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 10,
    acceptsReferrals: true,
  }),
  service({
    id: 'cap-emploi',
    organisation: organisations.capEmploi,
    name: 'Cap emploi — emploi des personnes handicapées',
    description:
      'Accompagnement vers l’emploi et maintien dans l’emploi des personnes ayant une reconnaissance de handicap (RQTH).',
    bundles: ['emploi'],
    publics: ['people_with_disabilities', 'jobseekers', 'workers'],
    eligibility: 'Personnes bénéficiaires de l’obligation d’emploi (RQTH, pension d’invalidité, AAH).',
    howToApply: { modes: ['referral', 'phone'], description: 'Sur orientation de France Travail, de la MDPH ou par Parcours.' },
    locations: [premises(gap, 'Cap emploi', '2 rue du Forest d’Entrais')],
    communesServed: allCommunes,
    waitingTimeDays: 15,
    acceptsReferrals: true,
  }),
  service({
    id: 'chantier-insertion-buech',
    organisation: organisations.insertion,
    name: 'Chantier d’insertion Buëch Nature',
    description:
      'Contrats à durée déterminée d’insertion en entretien des espaces naturels et des sentiers, avec accompagnement socio-professionnel.',
    bundles: ['emploi'],
    publics: ['jobseekers', 'minimum_income_recipients'],
    eligibility: 'Personnes éloignées de l’emploi, sur orientation (parcours IAE).',
    howToApply: {
      modes: ['referral'],
      description: 'Orientation par France Travail, la Mission locale, le référent RSA ou Parcours.',
    },
    locations: [premises(laragne, 'Atelier', 'Zone artisanale des Condamines')],
    communesServed: communesOfBassins('sisteronaisBuech', 'buechDevoluy'),
    waitingTimeDays: 30,
    acceptsReferrals: true,
  }),
  service({
    id: 'maison-saisonniers-briancon',
    organisation: organisations.saisonniers,
    name: 'Maison des saisonniers du Briançonnais',
    description: 'Information des travailleurs saisonniers : droits, logement, santé, offres d’emploi en station.',
    bundles: ['emploi', 'hebergement-logement', 'information-orientation'],
    publics: ['workers', 'young_people'],
    locations: [
      premises(
        briancon,
        'Maison des saisonniers',
        'Parc de la Schappe',
        hours(['MO', 'TU', 'TH', 'FR'], '10:00-13:00', '14:00-18:00'),
      ),
    ],
    communesServed: communesOfBassins('brianconnais', 'ecrins', 'guillestroisQueyras'),
    waitingTimeDays: 0,
    acceptsReferrals: false,
  }),
  // 12. Économie, création d'activité
  service({
    id: 'cma-creation-entreprise',
    organisation: organisations.cma,
    name: 'Créer ou reprendre une entreprise artisanale',
    description:
      'Réunions d’information, accompagnement du projet, formalités d’immatriculation ; rendez-vous en visio possibles.',
    bundles: ['economie-creation-activite'],
    cost: { kind: 'paid', description: 'Information gratuite ; accompagnement approfondi payant, finançable.' },
    howToApply: { modes: ['appointment', 'online'], description: 'Sur rendez-vous.' },
    locations: [premises(gap, 'Chambre de métiers', '42 rue Carnot')],
    permanences: [permanence('visio', laragne, fsLaragne, 'WE', '14:00-16:00', 'monthly')],
    communesServed: allCommunes,
    waitingTimeDays: 14,
    acceptsReferrals: false,
  }),
  service({
    id: 'initiative-pret-honneur',
    organisation: organisations.initiative,
    name: 'Prêts d’honneur et microcrédit pour créer son activité',
    description:
      'Prêt d’honneur à taux zéro et parrainage pour les créateurs, y compris bénéficiaires du RSA et demandeurs d’emploi.',
    bundles: ['economie-creation-activite'],
    publics: ['jobseekers', 'minimum_income_recipients', 'all'],
    howToApply: { modes: ['appointment', 'referral'], description: 'Entretien préalable sur rendez-vous.' },
    locations: [premises(gap, 'Pépinière d’entreprises', 'Micropolis')],
    communesServed: allCommunes,
    waitingTimeDays: 21,
    acceptsReferrals: true,
  }),
  service({
    id: 'agriculteurs-difficulte',
    organisation: organisations.agriculture,
    name: 'Point accueil installation et exploitations en difficulté',
    description:
      'Accompagnement des projets d’installation agricole et des exploitants en difficulté économique (dispositif de redressement).',
    bundles: ['economie-creation-activite', 'aide-accompagnement-social'],
    publics: ['workers'],
    howToApply: { modes: ['appointment', 'phone', 'referral'], description: 'Sur rendez-vous.' },
    locations: [premises(gap, 'Chambre d’agriculture', '8 ter rue Capitaine de Bresson')],
    communesServed: allCommunes,
    waitingTimeDays: 10,
    acceptsReferrals: true,
  }),
  // 13. Formation professionnelle
  service({
    id: 'greta-formations',
    organisation: organisations.greta,
    name: 'Formations qualifiantes pour adultes',
    description:
      'Formations du bâtiment, du sanitaire et social, du tourisme ; remise à niveau ; financement CPF, Région ou France Travail.',
    bundles: ['formation-professionnelle'],
    publics: ['jobseekers', 'workers'],
    cost: { kind: 'paid', description: 'Financements publics possibles selon la situation.' },
    howToApply: { modes: ['online', 'appointment'], description: 'Réunion d’information collective puis entretien.' },
    locations: [premises(gap, 'GRETA', 'Lycée Paul Héraud')],
    permanences: [permanence('on_site', briancon, 'Lycée d’Altitude', 'TH', '09:00-12:00', 'every_two_weeks')],
    communesServed: allCommunes,
    waitingTimeDays: 30,
    acceptsReferrals: false,
  }),
  service({
    id: 'conseil-evolution-professionnelle',
    organisation: organisations.cep,
    name: 'Conseil en évolution professionnelle',
    description: 'Conseil gratuit pour changer de métier, se former, faire valider ses acquis (VAE) ou mobiliser son CPF.',
    bundles: ['formation-professionnelle'],
    publics: ['workers'],
    howToApply: { modes: ['appointment', 'online', 'phone'], description: 'Rendez-vous en ligne, par téléphone ou en visio.' },
    permanences: [
      permanence('visio', laragne, fsLaragne, 'MO', '09:00-12:00', 'every_two_weeks'),
      permanence('visio', embrun, 'France Services d’Embrun', 'FR', '09:00-12:00', 'every_two_weeks'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 15,
    acceptsReferrals: false,
  }),
  service({
    id: 'savoirs-de-base-laragne',
    organisation: organisations.association,
    name: 'Ateliers savoirs de base et français langue étrangère',
    description:
      'Lecture, écriture, calcul et français pour les adultes, en petits groupes, avec préparation aux démarches du quotidien.',
    bundles: ['formation-professionnelle', 'education'],
    publics: ['all', 'migrants'],
    howToApply: { modes: ['walk_in', 'referral'], description: 'Entrée à tout moment de l’année après un entretien.' },
    locations: [premises(laragne, 'Local de l’association', '9 avenue de Provence', hours(['MO', 'TH'], '09:00-11:30'))],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 7,
    acceptsReferrals: true,
  }),
  // 14. Hébergement et logement
  service({
    id: 'siao-115',
    organisation: organisations.siao,
    name: 'SIAO — 115, mise à l’abri et hébergement',
    description: 'Le 115 répond jour et nuit ; le SIAO oriente vers l’hébergement d’urgence, les CHRS et le logement accompagné.',
    bundles: ['hebergement-logement'],
    publics: ['homeless', 'all'],
    howToApply: {
      modes: ['phone', 'referral'],
      description: 'Appeler le 115 ; demande d’insertion par un travailleur social ou par Parcours.',
    },
    contact: { phone: '115', email: 'siao@demo.parcours.test' },
    communesServed: allCommunes,
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  service({
    id: 'adil-conseil-logement',
    organisation: organisations.adil,
    name: 'ADIL — conseil juridique et financier sur le logement',
    description:
      'Juristes du logement : impayés de loyer, prévention des expulsions, logement indécent, droits des locataires et propriétaires.',
    bundles: ['hebergement-logement', 'justice-droit'],
    howToApply: {
      modes: ['phone', 'appointment', 'referral'],
      description: 'Consultation téléphonique ou rendez-vous, y compris en visio depuis France Services.',
    },
    locations: [premises(gap, 'ADIL', '5 rue Capitaine de Bresson')],
    permanences: [
      permanence('visio', laragne, fsLaragne, 'TH', '09:00-12:00', 'every_two_weeks'),
      permanence('on_site', embrun, 'France Services d’Embrun', 'MO', '14:00-17:00', 'monthly'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 6,
    acceptsReferrals: true,
  }),
  service({
    id: 'logement-social-demande',
    organisation: organisations.bailleur,
    name: 'Demande de logement social',
    description:
      'Enregistrement et suivi de la demande de logement social, mutations, accompagnement des locataires en difficulté.',
    bundles: ['hebergement-logement'],
    documents: ['Justificatif d’identité', 'Avis d’imposition', 'Justificatifs de ressources'],
    howToApply: { modes: ['online', 'appointment'], description: 'Demande sur le portail national ou en agence.' },
    locations: [
      premises(gap, 'Agence', '2 avenue Émile Didier'),
      premises(briancon, 'Agence', 'Rue Pasteur', hours(['TU', 'TH'], '09:00-12:00')),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 180,
    acceptsReferrals: false,
  }),
  service({
    id: 'chrs-gap',
    organisation: organisations.chrs,
    name: 'Centre d’hébergement et de réinsertion sociale',
    description: 'Hébergement temporaire et accompagnement social vers le logement, places pour familles et personnes seules.',
    bundles: ['hebergement-logement', 'aide-accompagnement-social'],
    publics: ['homeless', 'families'],
    howToApply: { modes: ['referral'], description: 'Admission sur orientation du SIAO uniquement.' },
    locations: [premises(gap, 'CHRS', 'Rue des Jardins')],
    communesServed: allCommunes,
    waitingTimeDays: 60,
    acceptsReferrals: false,
  }),
  service({
    id: 'habitat-jeunes-gap',
    organisation: organisations.fjt,
    name: 'Résidence habitat jeunes',
    description: 'Logements meublés pour les 16-30 ans en emploi, formation ou stage, avec accompagnement au logement autonome.',
    bundles: ['hebergement-logement'],
    publics: ['young_people', 'students', 'workers'],
    eligibility: 'Jeunes de 16 à 30 ans.',
    cost: { kind: 'income_based', description: 'Redevance mensuelle, APL déduite.' },
    howToApply: { modes: ['appointment', 'referral', 'online'], description: 'Dossier de candidature puis entretien.' },
    locations: [premises(gap, 'Résidence', '10 rue Bayard')],
    communesServed: allCommunes,
    waitingTimeDays: 20,
    acceptsReferrals: true,
  }),
  service({
    id: 'fsl-aides',
    organisation: organisations.departement,
    name: 'Fonds de solidarité pour le logement (FSL)',
    description:
      'Aides pour accéder à un logement (dépôt de garantie, premier loyer) ou s’y maintenir (impayés de loyer, d’énergie et d’eau).',
    bundles: ['hebergement-logement', 'prestations-sociales', 'services-marchands-publics'],
    eligibility: 'Ménages sous plafond de ressources du règlement départemental.',
    howToApply: {
      modes: ['referral'],
      description: 'Dossier instruit par un travailleur social (Maison des solidarités, CCAS) ou orienté par Parcours.',
    },
    locations: [premises(gap, 'Direction de l’habitat', 'Place Saint-Arnoux')],
    communesServed: allCommunes,
    waitingTimeDays: 25,
    acceptsReferrals: true,
  }),
  service({
    id: 'residence-autonomie-laragne',
    organisation: organisations.association,
    name: 'Résidence autonomie du Buëch',
    description: 'Logements adaptés pour personnes âgées autonomes, restauration, animations et veille de nuit.',
    bundles: ['hebergement-logement', 'services-a-domicile'],
    publics: ['seniors'],
    eligibility: 'Personnes de 60 ans et plus, autonomes (GIR 5 et 6).',
    cost: { kind: 'income_based', description: 'Loyer et charges, APL et aide sociale possibles.' },
    howToApply: { modes: ['appointment', 'referral'], description: 'Dossier d’admission puis visite.' },
    locations: [premises(laragne, 'Résidence autonomie', 'Chemin des Oliviers')],
    communesServed: communesOfBassins('sisteronaisBuech', 'buechDevoluy'),
    waitingTimeDays: 120,
    acceptsReferrals: true,
  }),
  // 15. Transport et mobilité
  service({
    id: 'transport-demande-buech',
    organisation: organisations.ccSb,
    name: 'Transport à la demande du Sisteronais-Buëch',
    description:
      'Minibus sur réservation la veille vers Laragne, Serres et Sisteron (marchés, rendez-vous médicaux, France Services).',
    bundles: ['transport'],
    cost: { kind: 'paid', description: '2 € le trajet, gratuit pour les bénéficiaires du RSA.' },
    howToApply: { modes: ['phone'], description: 'Réservation la veille avant 17 h.' },
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 1,
    acceptsReferrals: false,
  }),
  service({
    id: 'plateforme-mobilite',
    organisation: organisations.mobilite,
    name: 'Plateforme mobilité — location solidaire et aide au permis',
    description:
      'Bilan mobilité, location de scooters et voitures à petit prix, aide au financement du permis pour l’accès à l’emploi.',
    bundles: ['transport', 'emploi'],
    publics: ['jobseekers', 'minimum_income_recipients', 'young_people'],
    cost: { kind: 'income_based' },
    howToApply: {
      modes: ['referral', 'phone'],
      description: 'Orientation par un conseiller emploi, le référent RSA ou Parcours.',
    },
    locations: [premises(gap, 'Plateforme mobilité', '4 rue Ernest Cézanne')],
    permanences: [
      permanence('on_site', laragne, fsLaragne, 'FR', '09:00-12:00', 'every_two_weeks'),
      permanence('on_site', embrun, 'France Services d’Embrun', 'TH', '09:00-12:00', 'every_two_weeks'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 12,
    acceptsReferrals: true,
  }),
  service({
    id: 'transports-regionaux-solidaires',
    organisation: organisations.region,
    name: 'Cars régionaux Zou ! — tarifs solidaires',
    description:
      'Lignes de cars régionales ; abonnement solidaire pour les demandeurs d’emploi et les bénéficiaires de minima sociaux.',
    bundles: ['transport'],
    cost: { kind: 'income_based', description: 'Abonnement à tarif réduit sur justificatif.' },
    howToApply: { modes: ['online', 'phone'], description: 'Demande en ligne avec justificatif.' },
    communesServed: allCommunes,
    waitingTimeDays: 5,
    acceptsReferrals: false,
  }),
  service({
    id: 'garage-solidaire',
    organisation: organisations.garage,
    name: 'Garage solidaire — réparation et vente de véhicules à petit prix',
    description: 'Réparations au prix des pièces, vente de véhicules révisés pour les personnes en insertion.',
    bundles: ['transport', 'services-marchands-prives'],
    publics: ['jobseekers', 'minimum_income_recipients'],
    eligibility: 'Sur orientation d’un travailleur social ou d’un conseiller emploi.',
    cost: { kind: 'paid', description: 'Pièces au prix coûtant, main-d’œuvre solidaire.' },
    howToApply: { modes: ['referral'], description: 'Fiche d’orientation ou Parcours.' },
    locations: [
      premises(
        tallard,
        'Garage solidaire',
        'Zone d’activités des Blaches',
        hours(['TU', 'WE', 'TH', 'FR'], '08:30-12:00', '13:30-17:30'),
      ),
    ],
    communesServed: communesOfBassins('gapTallard', 'sisteronaisBuech', 'valDAvance', 'serrePoncon'),
    waitingTimeDays: 10,
    acceptsReferrals: true,
  }),
  // 16. Culture, sport et loisirs
  service({
    id: 'mediatheque-laragne-numerique',
    organisation: organisations.mediatheque,
    name: 'Médiathèque et espace public numérique de Laragne-Montéglin',
    description:
      'Prêt de livres, accès libre aux ordinateurs, ateliers numériques débutants, conseiller numérique sur rendez-vous.',
    bundles: ['culture-sport-loisirs', 'information-orientation'],
    locations: [
      premises(laragne, 'Médiathèque', 'Place de la Mairie', hours(['TU', 'WE', 'FR', 'SA'], '10:00-12:00', '14:00-18:00')),
    ],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 0,
    acceptsReferrals: true,
  }),
  service({
    id: 'bibliobus-departemental',
    organisation: organisations.biblio,
    name: 'Bibliobus départemental',
    description:
      'Le bibliobus dessert les villages sans bibliothèque ; portage de livres pour les personnes qui ne peuvent plus se déplacer.',
    bundles: ['culture-sport-loisirs'],
    permanences: [
      permanence('itinerant', orcieres, 'Place de la mairie', 'TU', '10:00-12:00', 'monthly'),
      permanence('itinerant', ceillac, 'Place de l’église', 'WE', '10:00-12:00', 'monthly'),
      permanence('itinerant', rosans, 'Place du village', 'TH', '14:00-16:00', 'monthly'),
      permanence('itinerant', batieNeuve, 'Parking de l’école', 'FR', '10:00-12:00', 'monthly'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 0,
    acceptsReferrals: false,
  }),
  service({
    id: 'loisirs-vacances-familles',
    organisation: organisations.caf,
    name: 'Vacances et loisirs des familles (aides aux vacances, accueil de loisirs)',
    description:
      'Aides aux vacances familiales et aux séjours d’enfants, liste des accueils de loisirs conventionnés, pass’sport.',
    bundles: ['culture-sport-loisirs', 'prestations-sociales'],
    publics: ['families', 'young_people'],
    eligibility: 'Allocataires sous plafond de quotient familial.',
    howToApply: {
      modes: ['online', 'phone'],
      description: 'Notification automatique aux familles éligibles ; informations sur caf.fr.',
    },
    communesServed: allCommunes,
    waitingTimeDays: null,
    acceptsReferrals: false,
  }),
  // 17. Services publics de la vie quotidienne
  service({
    id: 'point-conseil-budget',
    organisation: organisations.udaf,
    name: 'Point conseil budget',
    description:
      'Conseil gratuit et confidentiel pour le budget, les impayés d’énergie et d’eau, le surendettement et les relations avec les fournisseurs.',
    bundles: ['services-marchands-publics', 'aide-accompagnement-social', 'justice-droit'],
    howToApply: {
      modes: ['phone', 'appointment', 'referral'],
      description: 'Rendez-vous par téléphone, en visio ou orientation Parcours.',
    },
    locations: [premises(gap, 'UDAF', '18 rue Carnot')],
    permanences: [
      permanence('visio', laragne, fsLaragne, 'WE', '14:00-17:00', 'every_two_weeks'),
      permanence('on_site', briancon, 'France Services du Briançonnais', 'TU', '14:00-17:00', 'every_two_weeks'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 8,
    acceptsReferrals: true,
  }),
  service({
    id: 'france-renov-precarite',
    organisation: organisations.renov,
    name: 'Conseil rénovation énergétique et précarité énergétique',
    description: 'Conseillers France Rénov’ : logement froid, factures trop élevées, aides MaPrimeRénov’ et chèque énergie.',
    bundles: ['services-marchands-publics', 'hebergement-logement'],
    howToApply: {
      modes: ['phone', 'appointment', 'referral'],
      description: 'Rendez-vous téléphonique, permanence ou visite à domicile.',
    },
    locations: [premises(gap, 'Espace conseil', '1 rue du Bois d’Abel')],
    permanences: [
      permanence('on_site', laragne, fsLaragne, 'MO', '14:00-17:00', 'monthly'),
      permanence('on_site', guillestre, 'Maison de la communauté de communes', 'TU', '14:00-17:00', 'monthly'),
    ],
    communesServed: allCommunes,
    waitingTimeDays: 15,
    acceptsReferrals: true,
  }),
  service({
    id: 'la-poste-laragne',
    organisation: organisations.poste,
    name: 'Bureau de poste de Laragne-Montéglin — services bancaires de base',
    description: 'Courrier, colis, compte bancaire de base (droit au compte), retrait d’espèces, aide au paiement des factures.',
    bundles: ['services-marchands-publics', 'services-marchands-prives'],
    locations: [
      premises(
        laragne,
        'Bureau de poste',
        '6 avenue de Provence',
        hours(['MO', 'TU', 'WE', 'TH', 'FR'], '09:00-12:00', '14:00-16:30'),
      ),
    ],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 0,
    acceptsReferrals: false,
  }),
  // 18. Services marchands privés de la vie quotidienne
  service({
    id: 'epicerie-ambulante-baronnies',
    organisation: organisations.epicerieAmbulante,
    name: 'Épicerie ambulante des Baronnies',
    description:
      'Camion épicerie et pain dans les villages sans commerce, livraison à domicile pour les personnes âgées sur commande.',
    bundles: ['services-marchands-prives'],
    cost: { kind: 'paid' },
    howToApply: { modes: ['phone', 'walk_in'], description: 'Passage hebdomadaire ; commande par téléphone pour la livraison.' },
    permanences: [
      permanence('itinerant', orpierre, 'Place du marché', 'TU', '08:30-10:00'),
      permanence('itinerant', rosans, 'Place du village', 'WE', '08:30-10:30'),
      permanence('itinerant', place('05129', 'Saint-André-de-Rosans', '05150'), 'Devant la mairie', 'WE', '11:00-12:00'),
      permanence('itinerant', place('05014', 'Barret-sur-Méouge', '05300'), 'Place du village', 'FR', '09:00-10:30'),
    ],
    communesServed: communesOfBassins('sisteronaisBuech'),
    waitingTimeDays: 0,
    acceptsReferrals: false,
    // Not checked for over six months: the directory and the suggestions say so (issue 20's freshness).
    lastVerifiedAt: '2025-09-01',
  }),
];

/** The demo directory, validated against the schema when the module loads. */
export const demoDirectory: DirectoryService[] = DirectoryService.array().parse(rows);
