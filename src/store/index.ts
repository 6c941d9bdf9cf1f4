// store/: all SQL of storywire, behind intention-named functions.
export { openStore, inTransaction, describeDatabaseError, type Store, type OpenOptions } from './db.ts';
export * from './sources.ts';
export * from './entries.ts';
export * from './stories.ts';
export * from './search.ts';
export * from './listing.ts';
export type { SourceRow, EntryRow, StoryRow } from './schema.ts';
export { backupTo } from './backup.ts';
