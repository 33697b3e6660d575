export * from './enums.ts';
export * from './tables.ts';
