export * from './audit.ts';
export * from './consents.ts';
export * from './contacts.ts';
export * from './enums.ts';
export * from './orientation.ts';
export * from './tables.ts';
