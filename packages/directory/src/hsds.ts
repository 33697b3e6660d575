import { createHash } from 'node:crypto';
import { type BundleCode, bundleCodes, bundleLabel, type OrganisationKind } from '@parcours/vocabulary';
import type { DirectoryService, Public } from './directory.schema.ts';
import { publics as publicCodes } from './directory.schema.ts';
import type { RejectedRow } from './directory-file.ts';
import { slugOf } from './directory-id.ts';
import { exchangeRowFaults } from './exchange-validation.ts';

/**
 * Open Referral HSDS 3 (compiled `service.json`, JSON Schema 2020-12) in and out of the Parcours directory. HSDS
 * ids are UUIDs: Parcours derives them from its own ids (name-based, stable across exports) and keeps its id in an
 * attribute so that a round trip finds the same service. Bundles and publics travel as taxonomy terms of the
 * taxonomies `parcours-bouquets` and `parcours-publics`.
 */

const namespace = 'parcours';

/** A name-based UUID (version 5 layout, SHA-1 of the kind and the Parcours id): the same id gives the same UUID. */
export function hsdsUuidOf(kind: 'service' | 'organization' | 'term' | 'attribute' | 'phone' | 'area', id: string): string {
  const bytes = createHash('sha1').update(`${namespace}:${kind}:${id}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface HsdsTaxonomyTerm {
  id: string;
  code?: string;
  name: string;
  description: string;
  taxonomy?: string;
  [field: string]: unknown;
}

export interface HsdsAttribute {
  id: string;
  taxonomy_term_id?: string;
  link_type?: string;
  link_entity?: string;
  value?: string;
  taxonomy_term?: HsdsTaxonomyTerm;
  [field: string]: unknown;
}

export interface HsdsService {
  id: string;
  name: string;
  status: string;
  description?: string;
  url?: string;
  email?: string;
  application_process?: string;
  fees_description?: string;
  eligibility_description?: string;
  wait_time?: string;
  assured_date?: string;
  organization?: { id: string; name: string; description: string; tax_id?: string; [field: string]: unknown };
  phones?: Array<{ id: string; number: string; [field: string]: unknown }>;
  service_areas?: Array<{ id: string; name?: string; description?: string; extent_type?: string; [field: string]: unknown }>;
  attributes?: HsdsAttribute[];
  [field: string]: unknown;
}

const idTerm = 'parcours-identifiant';
const bundleTaxonomy = 'parcours-bouquets';
const publicTaxonomy = 'parcours-publics';
const costTaxonomy = 'parcours-cout';

function attribute(serviceId: string, taxonomy: string, code: string, name: string, value?: string): HsdsAttribute {
  const termId = hsdsUuidOf('term', `${taxonomy}:${code}`);
  return {
    id: hsdsUuidOf('attribute', `${serviceId}:${taxonomy}:${code}`),
    taxonomy_term_id: termId,
    link_type: 'service',
    link_entity: 'service',
    ...(value !== undefined ? { value } : {}),
    taxonomy_term: { id: termId, code, name, description: name, taxonomy },
  };
}

/** The directory as HSDS 3 services, each with its organisation, phones, areas served and classifications. */
export function toHsds(services: readonly DirectoryService[]): HsdsService[] {
  return services.map((service) => {
    const serviceId = hsdsUuidOf('service', service.id);
    return {
      id: serviceId,
      name: service.name,
      description: service.description,
      status: service.active ? 'active' : 'inactive',
      ...(service.contact.website ? { url: service.contact.website } : {}),
      ...(service.contact.email ? { email: service.contact.email } : {}),
      application_process: service.howToApply.description,
      ...(service.cost.description ? { fees_description: service.cost.description } : {}),
      eligibility_description: service.eligibility,
      ...(service.waitingTimeDays !== null ? { wait_time: `${service.waitingTimeDays} jours` } : {}),
      assured_date: service.lastVerifiedAt,
      organization: {
        id: hsdsUuidOf('organization', service.organisation.id),
        name: service.organisation.name,
        description: service.organisation.name,
        ...(service.organisation.siret ? { tax_id: service.organisation.siret } : {}),
      },
      phones: service.contact.phone ? [{ id: hsdsUuidOf('phone', service.id), number: service.contact.phone }] : [],
      service_areas: service.communesServed.map((code) => ({
        id: hsdsUuidOf('area', `${service.id}:${code}`),
        name: code,
        description: `Commune INSEE ${code}`,
      })),
      attributes: [
        attribute(service.id, idTerm, 'id', 'Identifiant Parcours', service.id),
        attribute(service.id, idTerm, 'organisation', 'Structure Parcours', service.organisation.id),
        attribute(service.id, idTerm, 'organisation-kind', 'Type de structure', service.organisation.kind),
        ...service.bundles.map((bundle) => attribute(service.id, bundleTaxonomy, bundle, bundleLabel(bundle))),
        ...service.publics.map((target) => attribute(service.id, publicTaxonomy, target, target)),
        attribute(service.id, costTaxonomy, service.cost.kind, service.cost.kind),
      ],
    };
  });
}

/**
 * HSDS 3 services (a `service_list`'s `contents`, or an organisation's `services` with the organisation passed)
 * read into the directory. Classifications of Parcours' own taxonomies are read back; others are noted.
 */
export function fromHsds(
  services: readonly HsdsService[],
  options: {
    kindOf?: (organisation: { name: string; taxId?: string }) => OrganisationKind;
    /** For a list read in parts: the position of `services`' first row in the whole list. */
    firstIndex?: number;
  } = {},
) {
  const notes: Array<{ serviceId: string; message: string }> = [];
  // Each service checked against HSDS 3's own schema first; the conforming ones are read.
  const rejected: RejectedRow[] = [];
  const sourceIndexes: number[] = [];
  const conforming = services.flatMap((row, position) => {
    const index = (options.firstIndex ?? 0) + position;
    const reasons = exchangeRowFaults('hsds-service', row);
    if (reasons.length > 0) {
      rejected.push({ index, id: typeof row?.id === 'string' ? row.id : null, reasons });
      return [];
    }
    sourceIndexes.push(index);
    return [row];
  });
  const rows = conforming.map((row) => {
    const value = (taxonomy: string, code: string) =>
      (row.attributes ?? []).find((item) => item.taxonomy_term?.taxonomy === taxonomy && item.taxonomy_term?.code === code)
        ?.value;
    const codes = (taxonomy: string) =>
      (row.attributes ?? []).flatMap((item) =>
        item.taxonomy_term?.taxonomy === taxonomy && item.taxonomy_term.code ? [item.taxonomy_term.code] : [],
      );
    for (const item of row.attributes ?? []) {
      const taxonomy = item.taxonomy_term?.taxonomy;
      if (taxonomy && ![idTerm, bundleTaxonomy, publicTaxonomy, costTaxonomy].includes(taxonomy)) {
        notes.push({
          serviceId: row.id,
          message: `classification non reprise : ${taxonomy} ${item.taxonomy_term?.name ?? ''}`.trim(),
        });
      }
    }
    const bundles = codes(bundleTaxonomy).filter((code): code is BundleCode => (bundleCodes as readonly string[]).includes(code));
    const targets = codes(publicTaxonomy).filter((code): code is Public => (publicCodes as readonly string[]).includes(code));
    const cost = codes(costTaxonomy)[0];
    const organisationKind = value(idTerm, 'organisation-kind') as OrganisationKind | undefined;
    const organisation = row.organization;
    const waiting = row.wait_time ? /^(\d+) jours?$/.exec(row.wait_time) : null;
    return {
      id: value(idTerm, 'id') ?? slugOf(row.id),
      organisation: {
        id: value(idTerm, 'organisation') ?? slugOf(organisation?.id ?? row.id),
        name: organisation?.name ?? '',
        kind:
          organisationKind ??
          options.kindOf?.({ name: organisation?.name ?? '', ...(organisation?.tax_id ? { taxId: organisation.tax_id } : {}) }) ??
          ('other' as OrganisationKind),
        ...(organisation?.tax_id && /^\d{14}$/.test(organisation.tax_id) ? { siret: organisation.tax_id } : {}),
      },
      name: row.name,
      description: row.description ?? '',
      bundles,
      publics: targets.length > 0 ? targets : (['all'] as Public[]),
      eligibility: row.eligibility_description ?? '',
      cost: {
        kind: cost === 'paid' || cost === 'income_based' ? cost : ('free' as const),
        ...(row.fees_description ? { description: row.fees_description } : {}),
      },
      prerequisites: [],
      documents: [],
      howToApply: { modes: ['phone' as const], description: row.application_process ?? '' },
      locations: [],
      permanences: [],
      communesServed: (row.service_areas ?? []).flatMap((area) => (area.name && /^\w{5}$/.test(area.name) ? [area.name] : [])),
      waitingTimeDays: waiting ? Number(waiting[1]) : null,
      contact: {
        ...(row.phones?.[0]?.number ? { phone: row.phones[0].number } : {}),
        ...(row.email ? { email: row.email } : {}),
        ...(row.url ? { website: row.url } : {}),
      },
      acceptsReferrals: false,
      active: row.status === 'active',
      lastVerifiedAt: row.assured_date ?? new Date().toISOString().slice(0, 10),
      // A service Parcours exported keeps its Parcours id; any other is remembered under its HSDS id.
      ...(value(idTerm, 'id')
        ? {}
        : { source: { name: 'hsds', id: row.id, ...(row.assured_date ? { updatedAt: row.assured_date } : {}) } }),
    };
  });
  return { services: rows, sourceIndexes, rejected, notes };
}
