// Where settled windows go: the fetch side reads and settles, a sink stores. Backup's sink turns each
// piece into a repository chunk; replicate's writes the points into a standby TSD.

import type { SettledWindow } from './settled-windows.js';

export interface WindowSink<Receipt = void> {
  /** Stores one window whose kinds are final; resolves once it is durable where it went (with what was stored). */
  write(window: SettledWindow, signal?: AbortSignal): Promise<Receipt>;
}
