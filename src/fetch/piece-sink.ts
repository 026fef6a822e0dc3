// Where settled windows go: the fetch side reads and settles, a sink stores. Backup's sink turns each
// piece into a repository chunk; replicate's writes its points into a standby TSD.

import type { FetchedPiece } from './query-unit.js';

export interface PieceSink {
  /** Stores one piece whose kinds are final; resolves once it is durable where it went. */
  write(piece: FetchedPiece, signal?: AbortSignal): Promise<void>;
}
