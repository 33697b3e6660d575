import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/schema/tables.ts',
    './src/schema/orientation.ts',
    './src/schema/contacts.ts',
    './src/schema/consents.ts',
    './src/schema/audit.ts',
  ],
  out: './migrations',
});
