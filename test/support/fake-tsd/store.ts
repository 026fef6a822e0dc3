/**
 * The data table: one series per metric UID + sorted tag UID pairs (the TSUID), rows per hour
 * (base_time = timestamp - timestamp % 3600 s), cells per qualifier.
 *
 * Duplicate handling follows HBase + CompactionQueue.defaultMergeDataPoints:
 * - a write with the same qualifier (same offset, resolution and flags) as a not yet compacted cell
 *   overwrites it in HBase (last write wins, no error);
 * - otherwise a second cell for the same millisecond offset is kept; when the row is read, cells of
 *   one offset whose value bytes differ fail the read with IllegalDataException
 *   "Duplicate timestamp for key=..." (unless tsd.storage.fix_duplicates, then the newest wins);
 *   identical value bytes are harmless;
 * - a query that reads a row older than one hour compacts it (written back, as with
 *   tsd.storage.enable_compaction=true), after which even a same-qualifier rewrite with different
 *   bytes conflicts. {@link DataStore.compactAll} emulates the background compaction thread.
 */
import { IllegalData } from './errors.js';
import { bytesEqual, javaBytesToString, type StoredValue, valueBytes, valueFlags } from './java-number.js';
import { uidToBytes, uidToHex } from './uid.js';

export interface Cell {
  /** qualifier identity: 's' or 'ms' resolution + flags (offset is the map key) */
  qual: string;
  value: StoredValue;
  /** HBase cell timestamp order (larger = newer) */
  seq: number;
  compacted: boolean;
}

export interface Series {
  tsuid: string;
  metricUid: number;
  /** [tagkUid, tagvUid] sorted by tagk uid bytes */
  tagUids: Array<[number, number]>;
  /** base_time (s) -> (ms timestamp -> cells) */
  rows: Map<number, Map<number, Cell[]>>;
}

export const MAX_TIMESPAN = 3600;

export function baseTimeOf(ms: number): number {
  const s = Math.floor(ms / 1000);
  return s - (s % MAX_TIMESPAN);
}

export function makeTsuid(metricUid: number, tagUids: Array<[number, number]>): string {
  return uidToHex(metricUid) + tagUids.map(([k, v]) => uidToHex(k) + uidToHex(v)).join('');
}

export class DataStore {
  readonly series = new Map<string, Series>();
  private seq = 0;
  fixDuplicates: boolean;

  constructor(opts: { fixDuplicates: boolean }) {
    this.fixDuplicates = opts.fixDuplicates;
  }

  getOrCreateSeries(metricUid: number, tagUids: Array<[number, number]>): Series {
    const tsuid = makeTsuid(metricUid, tagUids);
    let s = this.series.get(tsuid);
    if (!s) {
      s = { tsuid, metricUid, tagUids, rows: new Map() };
      this.series.set(tsuid, s);
    }
    return s;
  }

  /** Stores one point; `ms` is the ms timestamp, `msResolution` whether a ms qualifier is used. */
  write(series: Series, ms: number, msResolution: boolean, value: StoredValue): void {
    const base = baseTimeOf(ms);
    let row = series.rows.get(base);
    if (!row) {
      row = new Map();
      series.rows.set(base, row);
    }
    const qual = (msResolution ? 'ms:' : 's:') + valueFlags(value);
    const cells = row.get(ms) ?? [];
    const same = cells.find((c) => c.qual === qual && !c.compacted);
    const cell: Cell = { qual, value, seq: ++this.seq, compacted: false };
    if (same) {
      Object.assign(same, cell); // HBase overwrite of the same column
    } else {
      cells.push(cell);
    }
    row.set(ms, cells);
  }

  /** Row key bytes as Java prints them (metric uid, base time, tag uid pairs). */
  rowKeyString(series: Series, base: number): string {
    const bytes: number[] = [...uidToBytes(series.metricUid)];
    bytes.push((base >>> 24) & 0xff, (base >>> 16) & 0xff, (base >>> 8) & 0xff, base & 0xff);
    for (const [k, v] of series.tagUids) bytes.push(...uidToBytes(k), ...uidToBytes(v));
    return javaBytesToString(Uint8Array.from(bytes));
  }

  /**
   * Resolves the value of every offset of a row as a read does (CompactionQueue merge).
   * Throws IllegalData for differing duplicates unless fixDuplicates.
   */
  readRow(series: Series, base: number): Array<{ ms: number; value: StoredValue }> {
    const row = series.rows.get(base);
    if (!row) return [];
    const out: Array<{ ms: number; value: StoredValue }> = [];
    const offsets = [...row.keys()].sort((a, b) => a - b);
    for (const ms of offsets) {
      const all = row.get(ms)!;
      if (all.length === 1) {
        out.push({ ms, value: all[0]!.value });
        continue;
      }
      const cells = [...all].sort((a, b) => b.seq - a.seq); // newest first (heap order)
      const kept = cells[0]!;
      const keptBytes = valueBytes(kept.value);
      for (const other of cells.slice(1)) {
        const otherBytes = valueBytes(other.value);
        if (!bytesEqual(keptBytes, otherBytes) && !this.fixDuplicates) {
          throw new IllegalData(
            `Duplicate timestamp for key=${this.rowKeyString(series, base)}, ms_offset=${ms - base * 1000}, older=${javaBytesToString(keptBytes)}, newer=${javaBytesToString(otherBytes)}; set tsd.storage.fix_duplicates=true to fix automatically or run Fsck`,
          );
        }
      }
      out.push({ ms, value: kept.value });
    }
    return out;
  }

  /** Writes the row back compacted (what a read of an old row or the compaction thread does). */
  compactRow(series: Series, base: number): void {
    const row = series.rows.get(base);
    if (!row) return;
    try {
      this.readRow(series, base);
    } catch {
      return; // compaction fails on differing duplicates; the row stays as it is
    }
    for (const [ms, cells] of row) {
      if (cells.length === 1) {
        cells[0]!.compacted = true;
        continue;
      }
      const newest = [...cells].sort((a, b) => b.seq - a.seq)[0]!;
      row.set(ms, [{ ...newest, compacted: true }]); // HBase ts of the compacted cell = newest merged cell
    }
  }

  compactAll(): void {
    for (const s of this.series.values()) for (const base of s.rows.keys()) this.compactRow(s, base);
  }
}
