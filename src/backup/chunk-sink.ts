// Backup's sink: each piece of a settled window becomes one content-addressed chunk in the repository, recorded
// for the manifest that is written once every metric is done.

import type { SettledWindow } from '../fetch/settled-windows.js';
import type { WindowSink } from '../fetch/window-sink.js';
import type { ProgressReporter } from '../progress.js';
import type { Repository } from '../repository/repository.js';
import { writeChunk, type WrittenChunk } from './chunk-writer.js';

export class ChunkSink implements WindowSink<WrittenChunk[]> {
  readonly chunks: WrittenChunk[] = [];
  // Bounded by the metric's series, not by chunks x series (see chunk-writer.ts).
  private readonly seriesSeen = new Set<string>();

  constructor(
    private readonly repo: Repository,
    private readonly zstdLevel: number,
    private readonly progress: ProgressReporter,
  ) {}

  get series(): number {
    return this.seriesSeen.size;
  }

  /** Counts series of chunks stored earlier (by an interrupted run of the same backup). */
  addSeries(key: string): void {
    this.seriesSeen.add(key);
  }

  /** Whether a series (by series key) has points in a chunk written so far. */
  hasSeries(key: string): boolean {
    return this.seriesSeen.has(key);
  }

  /** Stores the window's pieces; returns the chunks written for it. */
  async write(window: SettledWindow, signal?: AbortSignal): Promise<WrittenChunk[]> {
    const written: WrittenChunk[] = [];
    for (const piece of window.pieces) {
      const chunk = await writeChunk(this.repo, piece, this.zstdLevel, signal, (key) => void this.seriesSeen.add(key));
      if (!chunk) continue;
      written.push(chunk);
      this.chunks.push(chunk);
      this.progress({ type: 'chunk', metric: piece.unit.metric, points: chunk.entry.points, bytes: chunk.entry.bytes, series: chunk.entry.series });
    }
    return written;
  }
}
