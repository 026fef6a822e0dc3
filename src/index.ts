// tsdb-backup as a library: the same functions the CLI calls.

export { backup, preflightSource, type BackupOptions, type BackupDeps, type BackupResult } from './backup/backup.js';
export { restore, type RestoreOptions, type RestoreDeps, type RestoreResult } from './restore/restore.js';
export { verify, type VerifyOptions, type VerifyResult } from './verify/verify.js';
export { listBackups, type ListResult } from './list/list-backups.js';
export { Repository, type OpenOptions, type InitOptions } from './repository/repository.js';
export type { PasswordSource } from './repository/key-store.js';
export { listKeys, addKey, removeKey, changePassword, type KeySummary, type KeyListing } from './repository/key-management.js';
export { CIPHERS, type CipherName } from './crypto/aead.js';
export { TsdClient, type TsdClientOptions } from './opentsdb/client.js';
export type { Storage } from './storage/storage.js';
export { LocalStorage } from './storage/local-storage.js';
export { MemoryStorage } from './storage/memory-storage.js';
export { openStorage } from './storage/open-storage.js';
export { encodeChunk, decodeChunk, type ChunkData } from './format/chunk-codec.js';
export { manifestSchema, type Manifest, type ChunkEntry } from './format/manifest.js';
export type { ProgressEvent, ProgressReporter } from './progress.js';
export { TsdbBackupError } from './errors.js';
export { checkTsd, checkTsds, type HealthOptions, type HealthDeps } from './health/check-tsd.js';
export { watchHealth, type WatchDeps } from './health/watch.js';
export type { TsdHealth, Verdict, StepResult } from './health/health-result.js';
export type { Transition } from './health/transitions.js';
export { replicate, type ReplicateOptions, type ReplicateDeps, type ReplicationEvent, type ReplicateSummary } from './replicate/replicate.js';
export { failover, type SwitchOptions, type SwitchDeps, type SwitchResult } from './replicate/failover.js';
export { failback } from './replicate/failback.js';
export { readState, type ReplicationState } from './replicate/replication-state.js';
