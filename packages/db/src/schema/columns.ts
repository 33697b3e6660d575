import { timestamp } from 'drizzle-orm/pg-core';

/** The columns every table writes the same way: a creation time set by the database, and instants with a time zone. */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const instant = (name: string) => timestamp(name, { withTimezone: true });
