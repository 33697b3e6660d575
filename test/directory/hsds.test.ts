/**
 * The directory exchanged in Open Referral HSDS 3: every exported service valid against the official compiled
 * `service.json` (JSON Schema 2020-12, `../shared/data/standards/hsds-3/`, validated by ajv), the official example
 * read, and the demo directory going out and back keeping every field HSDS holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoDirectory } from '@parcours/demo-territory';
import { DirectoryService, fromHsds, type HsdsService, hsdsUuidOf, toHsds } from '@parcours/directory';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const standards = join(import.meta.dirname, '..', '..', 'packages', 'directory', 'standards', 'hsds-3');
const read = (name: string) => JSON.parse(readFileSync(join(standards, name), 'utf8'));

function serviceValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  return ajv.compile(read('service.json'));
}

describe('Open Referral HSDS 3', () => {
  it('exports every service of the demo directory as an HSDS service the official schema accepts, with stable UUIDs', () => {
    const valid = serviceValidator();
    const exported = toHsds(demoDirectory);
    expect(exported).toHaveLength(demoDirectory.length);
    for (const service of exported) expect(valid(service) ? [] : valid.errors, service.name).toEqual([]);
    expect(toHsds(demoDirectory)[0]?.id).toBe(exported[0]?.id);
    expect(hsdsUuidOf('service', 'caf-acces-droits')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('when the demo directory goes out and comes back, every field HSDS holds is kept and the rows are valid directory services', () => {
    const back = fromHsds(toHsds(demoDirectory));
    expect(back.notes).toEqual([]);
    const byId = new Map(back.services.map((service) => [service.id, service]));
    for (const original of demoDirectory) {
      const service = byId.get(original.id);
      const parsed = DirectoryService.safeParse(service);
      expect(parsed.success ? [] : parsed.error.issues, original.id).toEqual([]);
      expect(
        {
          organisation: service?.organisation,
          name: service?.name,
          description: service?.description,
          bundles: service?.bundles,
          publics: service?.publics,
          cost: service?.cost,
          eligibility: service?.eligibility,
          communes: service?.communesServed,
          waiting: service?.waitingTimeDays,
          contact: service?.contact,
          active: service?.active,
          lastVerifiedAt: service?.lastVerifiedAt,
        },
        original.id,
      ).toEqual({
        organisation: original.organisation,
        name: original.name,
        description: original.description,
        bundles: original.bundles,
        publics: original.publics,
        cost: original.cost,
        eligibility: original.eligibility,
        communes: original.communesServed,
        waiting: original.waitingTimeDays,
        contact: original.contact,
        active: original.active,
        lastVerifiedAt: original.lastVerifiedAt,
      });
    }
  });

  it('reads the official example service list: names and organisations, and a service with no Parcours bundle until an admin classes it', () => {
    const example = read('examples/service_list.json') as { contents: HsdsService[] };
    const imported = fromHsds(example.contents);
    expect(imported.services).toHaveLength(example.contents.length);
    const [first] = imported.services;
    expect(first?.name).toBe(example.contents[0]?.name);
    expect(first?.organisation.name).toBe(example.contents[0]?.organization?.name ?? '');
    // Foreign classifications are not guessed into bundles: the directory's own validation will ask for one.
    expect(first?.bundles).toEqual([]);
    expect(DirectoryService.safeParse(first).success).toBe(false);
  });
});
