import { sql } from 'drizzle-orm';
import { customType, timestamp } from 'drizzle-orm/pg-core';

/** The columns every table writes the same way: a creation time set by the database, and instants with a time zone. */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const instant = (name: string) => timestamp(name, { withTimezone: true });

const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * The writing transaction's id, set by the database on insert (and by a trigger on update where a table
 * says so). Supervision's projection reads rows committed between two snapshots' xmin with it: unlike a
 * sequence, it cannot skip a row whose transaction commits late.
 */
export const transactionId = () => xid8('transaction_id').notNull().default(sql`pg_current_xact_id()`);
