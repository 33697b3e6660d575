export {
  type DirectoryImportResult,
  type ImportDirectoryOptions,
  importDirectory,
  organisationIdsByName,
  readDirectory,
  type StoredService,
  upsertDirectoryServices,
} from './directory.repository.ts';
export {
  createDirectoryImport,
  DirectoryFileError,
  type DirectoryImportFile,
  type DirectoryImportFormat,
  type DirectoryImportState,
  type DirectoryImportSummary,
  type InTransaction,
  importDirectoryDocument,
  listDirectoryImports,
  type MatchedStructure,
  readDirectoryImport,
  runDirectoryImport,
} from './directory-import.ts';
export { franceZones } from './territory-zones.ts';
