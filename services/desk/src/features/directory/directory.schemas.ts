import { DirectoryFile, DirectoryService, directoryFormat, directoryFormatVersion, InseeCode } from '@parcours/directory';
import { bundleCodes } from '@parcours/vocabulary';
import { z } from 'zod';
import { referralRoutes } from './directory-cache.ts';

export const searchServicesQuery = z.strictObject({
  bundle: z.enum(bundleCodes).optional(),
  /** INSEE code of a commune the services must serve. */
  communeCode: InseeCode.optional(),
  /** Words searched in the name, organisation and description, accents and case ignored. */
  text: z.string().trim().min(1).max(200).optional(),
  acceptsReferrals: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchServicesQuery = z.infer<typeof searchServicesQuery>;

/** A service as the desk lists it: the directory's document and how a referral reaches it (`ReferralRoute`). */
export const listedService = DirectoryService.extend({ referralRoute: z.enum(referralRoutes) });
export type ListedService = z.infer<typeof listedService>;

export const serviceList = z.object({
  items: z.array(listedService),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
});
export type ServiceList = z.infer<typeof serviceList>;

export const serviceIdParams = z.strictObject({ serviceId: z.string().min(1).max(200) });

/**
 * The file's outer shape only: rows are checked one by one by `@parcours/directory`, so that a bad row
 * is reported and the good ones kept, instead of the whole file refused.
 */
export const importDirectoryBody = z
  .preprocess(
    // A bare list of services is accepted too; wrapping it gives every error a field to name.
    (value) => (Array.isArray(value) ? { services: value } : value),
    z
      .looseObject({
        format: z.literal(directoryFormat).optional(),
        version: z.literal(directoryFormatVersion).optional(),
        exportedAt: z.string().optional(),
        /** Parcours' own format, or data·inclusion v1 (with `structures`). */
        services: z.array(z.unknown()).max(50_000).optional(),
        /** Open Referral HSDS 3: a service list, as `GET …/export?format=hsds` writes it. */
        contents: z.array(z.unknown()).max(50_000).optional(),
      })
      .refine((file) => file.services !== undefined || file.contents !== undefined, {
        message: 'Le fichier doit contenir « services » (Parcours, data·inclusion) ou « contents » (HSDS 3).',
        path: ['services'],
      }),
  )
  .meta({
    description:
      'Un fichier `parcours-directory` ({ format, version, services: [...] }, voir exportDirectory), une liste de services, un fichier data·inclusion v1 ({ structures, services }) ou une liste de services HSDS 3 ({ contents })',
  });

export const directoryImportReport = z.object({
  territoryId: z.string(),
  /** Rows in the file. */
  total: z.number().int(),
  /** Rows written (inserted or updated by id). */
  written: z.number().int(),
  /** Every row not kept, with its 0-based index in `services` and every reason in French. */
  rejected: z.array(z.object({ index: z.number().int(), id: z.string().nullable(), reasons: z.array(z.string()) })),
  /** Which format was read: Parcours, data·inclusion (JSON or its two CSV files), HSDS 3. */
  format: z.enum(['parcours-directory', 'data-inclusion', 'data-inclusion-csv', 'hsds']).optional(),
  /** data·inclusion: each structure and the Parcours organisation it was matched to (by SIRET, then by name). */
  structures: z
    .array(
      z.object({
        structureId: z.string(),
        name: z.string(),
        matchedBy: z.enum(['siret', 'name']).nullable(),
        organisation: z.object({ id: z.uuid(), name: z.string() }).nullable(),
      }),
    )
    .optional(),
  /** data·inclusion: structure rows the official schema refused (their services are refused with them). */
  rejectedStructures: z
    .array(z.object({ index: z.number().int(), id: z.string().nullable(), reasons: z.array(z.string()) }))
    .optional(),
  /** data·inclusion and HSDS: what rows carried that the directory cannot hold (publics without equivalent…). */
  notes: z.array(z.object({ serviceId: z.string(), message: z.string() })).optional(),
  /**
   * data·inclusion and HSDS: services of the territory from the same source(s) that the file no longer lists.
   * They are kept (nothing is deleted by an import) and are to be checked.
   */
  disappeared: z.array(z.object({ id: z.string(), name: z.string(), source: z.string() })).optional(),
});
export type DirectoryImportReport = z.infer<typeof directoryImportReport>;

/**
 * A file handed in to be imported by the worker: a JSON document as `POST /api/v1/directory/import` takes it,
 * or data·inclusion's two CSV files as text.
 */
export const startDirectoryImportBody = z
  .union([
    z.strictObject({
      servicesCsv: z.string().min(1).max(40_000_000),
      structuresCsv: z.string().min(1).max(40_000_000),
      fileName: z.string().max(200).optional(),
    }),
    importDirectoryBody,
  ])
  .meta({
    description:
      'Un document JSON comme pour importDirectory, ou les deux fichiers CSV de data·inclusion en texte ({ servicesCsv, structuresCsv })',
  });

export const directoryImportIdParams = z.strictObject({ importId: z.uuid({ error: 'identifiant d’import invalide' }) });

export const directoryImportState = z.object({
  id: z.uuid(),
  status: z.enum(['queued', 'running', 'done', 'failed']).meta({
    description:
      'queued : en attente du worker ; running : en cours ; done : terminé (voir report) ; failed : fichier inutilisable (voir error)',
  }),
  fileName: z.string().nullable(),
  /** Rows in the file, once read. */
  total: z.number().int().nullable(),
  /** Rows gone through so far. */
  processed: z.number().int(),
  report: directoryImportReport.nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type DirectoryImportStateBody = z.infer<typeof directoryImportState>;

/** `parcours` (the directory's own format, read back by the import), `data-inclusion` (v1) or `hsds` (3, a service list). */
export const directoryExportQuery = z.strictObject({
  format: z.enum(['parcours', 'data-inclusion', 'hsds']).default('parcours'),
});
const exchangedRows = z.array(z.record(z.string(), z.unknown()));
export const directoryExport = z.union([
  DirectoryFile,
  z.object({ structures: exchangedRows, services: exchangedRows }),
  z.object({ total_items: z.number().int(), contents: exchangedRows }).passthrough(),
]);
