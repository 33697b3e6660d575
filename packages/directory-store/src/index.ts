export {
  type DirectoryImportResult,
  type ImportDirectoryOptions,
  importDirectory,
  readDirectory,
  type StoredService,
} from './directory.repository.ts';
