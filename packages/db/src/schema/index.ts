export * from './enums.ts';
export * from './tables.ts';
export * from './orientation.ts';
