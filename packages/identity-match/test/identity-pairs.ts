import type { Identity } from '../src/index.ts';

/**
 * A generated set of identity pairs for measuring the matching: the same person as two structures would
 * type her (accents, case, compound names cut, the birth name used instead of the married one, day and
 * month swapped, one typo, given names joined or shortened) and different people that look alike (twins
 * and siblings, a father and his son, namesakes born another day). Seeded: the same set on every run.
 */
export interface LabelledPair {
  a: Identity;
  b: Identity;
  samePerson: boolean;
  variation: string;
}

const familyNames = [
  'Martin',
  'Bernard',
  'Thomas',
  'Petit',
  'Robert',
  'Richard',
  'Durand',
  'Dubois',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Lefèvre',
  'Leroy',
  'Roux',
  'David',
  'Bertrand',
  'Morel',
  'Fournier',
  'Girard',
  'Bonnet',
  'Dupont',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Vincent',
  'Müller',
  'Lefebvre',
  'Faure',
  'André',
  'Mercier',
  'Blanc',
  'Guérin',
  'Boyer',
  'Garnier',
  'Chevalier',
  'François',
  'Legrand',
  'Gauthier',
  'Garcia',
  'Perrin',
  'Robin',
  'Clément',
  'Morin',
  'Nicolas',
  'Henry',
  'Roussel',
  'Mathieu',
  'Gautier',
  'Masson',
  'Marchand',
  'Duval',
  'Denis',
  'Dumont',
  'Marie',
  'Lemaire',
  'Noël',
  'Meyer',
  'Dufour',
  'Meunier',
  'Brun',
  'Blanchard',
  'Giraud',
  'Joly',
  'Rivière',
  'Lucas',
  'Brunet',
  'Gaillard',
  'Barbier',
  'Arnaud',
  'Benali',
  'Nguyen',
  'Diallo',
  'Traoré',
  'Haddad',
  'Da Silva',
  'Pereira',
  'Kowalski',
  'Rey',
  'Achard',
  'Chabert',
  'Escoffier',
  'Aubert',
  'Jourdan',
  'Reynaud',
  'Vial',
  'Allemand',
  'Eyraud',
  'Bouchet',
  'Gras',
];
const givenNames = [
  'Marie',
  'Jean',
  'Pierre',
  'Michel',
  'André',
  'Philippe',
  'Nathalie',
  'Isabelle',
  'Sylvie',
  'Catherine',
  'Françoise',
  'Christine',
  'Monique',
  'Nicolas',
  'Stéphane',
  'Laurent',
  'Christophe',
  'Patrick',
  'Frédéric',
  'Sébastien',
  'Julien',
  'Camille',
  'Léa',
  'Manon',
  'Chloé',
  'Inès',
  'Yasmine',
  'Mohamed',
  'Karim',
  'Fatou',
  'Mathieu',
  'Thierry',
  'Hélène',
  'Céline',
  'Aurélie',
  'Margaux',
  'Gaël',
  'Zoé',
  'Noémie',
  'Jérôme',
  'Claire',
  'Anne',
  'Paul',
  'Louis',
  'Hugo',
  'Lucie',
  'Emma',
  'Jules',
  'Théo',
  'Sarah',
  'Rose',
  'Aude',
  'Benoît',
  'Josiane',
  'Gisèle',
  'Raymond',
  'Yvette',
  'Marcel',
  'Odette',
  'Lucien',
  'Élodie',
  'Kevin',
];
const compoundGiven = ['Marie-Claire', 'Jean-Pierre', 'Anne-Sophie', 'Jean-Marc', 'Marie-Hélène', 'Pierre-Yves'];

/** Mulberry32: a small seeded generator, so the set is the same on every run. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateIdentityPairs(count: number, seed = 20261206): LabelledPair[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const date = () => `${int(1935, 2008)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  const person = (): Identity => {
    const compoundFamily = random() < 0.12;
    return {
      familyName: compoundFamily ? `${pick(familyNames)}-${pick(familyNames)}` : pick(familyNames),
      givenNames:
        random() < 0.15 ? pick(compoundGiven) : random() < 0.3 ? `${pick(givenNames)} ${pick(givenNames)}` : pick(givenNames),
      birthDate: date(),
      birthName: null,
    };
  };
  const stripAccents = (text: string) => text.normalize('NFD').replaceAll(/\p{M}/gu, '');
  /** One typo a clerk makes: a letter replaced, dropped, doubled, or two letters swapped (never the first). */
  const typo = (word: string): string => {
    if (word.length < 4) return word;
    const at = int(1, word.length - 2);
    const letters = 'abcdefghijklmnoprstuvz';
    switch (int(0, 3)) {
      case 0:
        return word.slice(0, at) + pick([...letters]) + word.slice(at + 1);
      case 1:
        return word.slice(0, at) + word.slice(at + 1);
      case 2:
        return word.slice(0, at) + (word[at] ?? '') + word.slice(at);
      default:
        return word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2);
    }
  };
  const swapDayMonth = (iso: string) => {
    const [year, month, day] = iso.split('-') as [string, string, string];
    return Number(day) <= 12 ? `${year}-${day}-${month}` : iso;
  };
  const otherDay = (iso: string) => {
    const [year, month, day] = iso.split('-') as [string, string, string];
    return `${year}-${month}-${String(((Number(day) + int(1, 20)) % 28) + 1).padStart(2, '0')}`;
  };

  const sameVariations: Array<[string, (p: Identity) => [Identity, Identity]]> = [
    [
      'accents and case',
      (p) => [
        p,
        { ...p, familyName: stripAccents(p.familyName).toUpperCase(), givenNames: stripAccents(p.givenNames).toLowerCase() },
      ],
    ],
    ['day and month swapped', (p) => [p, { ...p, birthDate: swapDayMonth(p.birthDate) }]],
    [
      'one part of a compound family name',
      (p) => {
        const compound: Identity = { ...p, familyName: `${p.familyName}-${pick(familyNames)}` };
        return [compound, { ...p }];
      },
    ],
    [
      'birth name instead of the married name',
      (p) => {
        const married: Identity = { ...p, familyName: pick(familyNames), birthName: p.familyName };
        return [married, { ...p, birthName: null }];
      },
    ],
    ['one typo in the family name', (p) => [p, { ...p, familyName: typo(p.familyName) }]],
    ['one typo in the given name', (p) => [p, { ...p, givenNames: typo(p.givenNames) }]],
    ['first given name only', (p) => [{ ...p, givenNames: `${p.givenNames} ${pick(givenNames)}` }, p]],
    ['particle dropped', (p) => [{ ...p, familyName: `de ${p.familyName}` }, p]],
  ];
  const differentVariations: Array<[string, (p: Identity) => [Identity, Identity]]> = [
    [
      'twins: same family name and birth date, another given name',
      (p) => {
        let given = pick(givenNames);
        while (given === p.givenNames.split(/[ -]/)[0]) given = pick(givenNames);
        return [p, { ...p, givenNames: given }];
      },
    ],
    [
      'father and son: same names, born another year',
      (p) => [p, { ...p, birthDate: `${Number(p.birthDate.slice(0, 4)) - int(20, 35)}${p.birthDate.slice(4)}` }],
    ],
    ['namesake born another day', (p) => [p, { ...p, birthDate: otherDay(p.birthDate) }]],
    [
      'another family, same given name and date',
      (p) => {
        let family = pick(familyNames);
        while (p.familyName.includes(family)) family = pick(familyNames);
        return [p, { ...p, familyName: family }];
      },
    ],
    ['someone else', (p) => [p, person()]],
  ];

  const pairs: LabelledPair[] = [];
  for (let index = 0; index < count; index += 1) {
    const base = person();
    const same = index % 2 === 0;
    const [variation, make] = same ? pick(sameVariations) : pick(differentVariations);
    const [a, b] = make(base);
    pairs.push({ a, b, samePerson: same, variation });
  }
  return pairs;
}
