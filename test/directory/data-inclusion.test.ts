/**
 * The directory exchanged in data·inclusion v1: every thematique placed, every exported row valid against the
 * official JSON schemas (`standards/data-inclusion-v1/`, copied from the shared standards, v1.0.8, validated by ajv), and the demo
 * directory going out and back keeping every field data·inclusion can hold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { communesOf, demoDirectory } from '@parcours/demo-territory';
import { bundleThematique, DirectoryService, fromDataInclusion, thematiqueBundles, toDataInclusion } from '@parcours/directory';
import { bundleCodes } from '@parcours/vocabulary';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const standards = join(import.meta.dirname, '..', '..', 'packages', 'directory', 'standards', 'data-inclusion-v1');
const read = (name: string) => JSON.parse(readFileSync(join(standards, name), 'utf8'));
const geography = { communesOfDepartement: (departement: string) => communesOf(departement).map((commune) => commune.code) };

function validatorOf(schemaFile: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  return ajv.compile(read(schemaFile));
}

describe('data·inclusion v1', () => {
  it('places each of the 69 official thematiques in a bundle, and exports each bundle as a thematique that comes back as it', () => {
    const official = (read('thematiques.json') as Array<{ value: string }>).map((thematique) => thematique.value).sort();
    expect(official).toHaveLength(69);
    expect(Object.keys(thematiqueBundles).sort()).toEqual(official);
    for (const bundle of bundleCodes) {
      const thematique = bundleThematique[bundle];
      expect(thematique, bundle).toBeDefined();
      expect(thematiqueBundles[thematique as string], bundle).toBe(bundle);
    }
  });

  it('exports the whole demo directory as structures and services that the official schemas accept', () => {
    const exported = toDataInclusion(demoDirectory, geography);
    expect(exported.services).toHaveLength(demoDirectory.length);
    const validService = validatorOf('service.json');
    const validStructure = validatorOf('structure.json');
    for (const service of exported.services) {
      expect(validService(service) ? [] : validService.errors, service.id).toEqual([]);
    }
    for (const structure of exported.structures) {
      expect(validStructure(structure) ? [] : validStructure.errors, structure.id).toEqual([]);
    }
    // A service serving the whole département says so with the département's code.
    expect(exported.services.find((service) => service.id === 'parcours--caf-acces-droits')?.zone_eligibilite).toEqual(['05']);
  });

  it('when the demo directory goes out and comes back, every field data·inclusion holds is kept, and the rows are valid directory services', () => {
    const back = fromDataInclusion(toDataInclusion(demoDirectory, geography), geography);
    expect(back.notes).toEqual([]);
    const byId = new Map(back.services.map((service) => [service.id, service]));
    for (const original of demoDirectory) {
      const service = byId.get(original.id);
      expect(service, original.id).toBeDefined();
      const parsed = DirectoryService.safeParse(service);
      expect(parsed.success ? [] : parsed.error.issues, original.id).toEqual([]);
      expect(
        {
          name: service?.name,
          description: service?.description,
          organisation: service?.organisation.name,
          siret: service?.organisation.siret,
          bundles: [...(service?.bundles ?? [])].sort(),
          publics: [...(service?.publics ?? [])].sort(),
          cost: service?.cost.kind,
          eligibility: service?.eligibility,
          communes: [...(service?.communesServed ?? [])].sort(),
          phone: service?.contact.phone,
          email: service?.contact.email,
          lastVerifiedAt: service?.lastVerifiedAt,
        },
        original.id,
      ).toEqual({
        name: original.name,
        description: original.description,
        organisation: original.organisation.name,
        siret: original.organisation.siret,
        bundles: [...original.bundles].sort(),
        publics: [...original.publics].sort(),
        cost: original.cost.kind,
        eligibility: original.eligibility,
        communes: [...original.communesServed].sort(),
        phone: original.contact.phone,
        email: original.contact.email,
        lastVerifiedAt: original.lastVerifiedAt,
      });
      const premises = original.locations.find((location) => location.kind === 'premises') ?? original.locations[0];
      if (premises) {
        expect(service?.locations[0]?.address, original.id).toEqual(premises.address);
        expect(service?.locations[0]?.openingHours, original.id).toEqual(premises.openingHours);
      }
    }
  });

  it('when a file carries what the directory cannot hold, then the import says so row by row, and zones by département are expanded', () => {
    const imported = fromDataInclusion(
      {
        structures: [
          { source: 'dora', id: 'dora--42', nom: 'Association Solidarité', date_maj: '2026-10-01', siret: '12345678900011' },
        ],
        services: [
          {
            source: 'dora',
            structure_id: 'dora--42',
            id: 'dora--aide-123',
            nom: 'Aide aux démarches',
            description: 'Accompagnement aux démarches administratives en ligne et au guichet.',
            date_maj: '2026-10-01',
            thematiques: ['difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives'],
            publics: ['tous-publics', 'residents-qpv-frr'],
            frais: 'gratuit',
            modes_mobilisation: ['se-presenter', 'telephoner'],
            mobilisable_par: ['usagers', 'professionnels'],
            zone_eligibilite: ['05'],
          },
          {
            source: 'dora',
            structure_id: 'dora--42',
            id: 'dora--x',
            nom: 'Hors référentiel',
            description: 'Une thématique que le référentiel ne connaît pas.',
            date_maj: '2026-10-01',
            thematiques: ['inconnue--x'],
            frais: 'peut-etre' as 'payant',
          },
        ],
      },
      geography,
    );
    expect(imported.notes.map((note) => note.message)).toEqual(['public sans équivalent : residents-qpv-frr']);
    // The official schema refuses what its referentials do not list, row by row, in French.
    expect(imported.rejected).toEqual([
      {
        index: 1,
        id: 'dora--x',
        reasons: [
          'frais : valeur « peut-etre » absente du référentiel',
          'thematiques[0] : valeur « inconnue--x » absente du référentiel',
        ],
      },
    ]);
    expect(imported.sourceIndexes).toEqual([0]);
    expect(imported.services[0]?.source).toEqual({ name: 'dora', id: 'dora--aide-123', updatedAt: '2026-10-01' });
    const [service] = imported.services;
    expect(service).toMatchObject({
      id: 'dora-aide-123',
      organisation: { name: 'Association Solidarité', siret: '12345678900011' },
      bundles: ['formalites-administratives'],
      publics: ['all'],
      howToApply: { modes: ['walk_in', 'phone', 'referral'] },
    });
    expect(service?.communesServed).toHaveLength(communesOf('05').length);
  });
});
