import { referenceCodeListNames } from '@parcours/vocabulary';
import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { sqlInList } from './enums.ts';

/** Coded reference lists (closure, decline and non-take-up reasons), seeded by migration. */

/** Coded reference lists (closure, decline, non-take-up reasons), seeded by migration. */
export const referenceCodes = pgTable(
  'reference_codes',
  {
    list: text('list').notNull(),
    code: text('code').notNull(),
    labelFr: text('label_fr').notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.list, t.code] }),
    check('reference_codes_list_check', sql.raw(`list in (${sqlInList(referenceCodeListNames)})`)),
  ],
);
