// What a backup keeps besides points (manifest version 2, docs/FORMAT.md section 5): the annotations of
// the series it reads and the global ones in its range, the UID metadata of the metric names, tag keys
// and tag values its series use, and the TS metadata of those series, where they differ from the
// defaults. Each backup, full or incremental, carries the complete snapshot of what it covers.
//
// Cost on the source: annotations and TSUIDs come with the data queries; global annotations take one
// small query; TS metadata one lookup that tells whether the meta table holds anything, and only then one
// meta-table scan per metric; UID metadata one GET per distinct UID (metrics + tag keys + tag values seen),
// METADATA_CONCURRENCY at a time, while the points are still read when the backup hands it a UidMetaReader.

import { seriesKey, sortTags } from '../format/series.js';
import type { MetadataContent, SeriesAnnotation, TsMeta, UidMeta } from '../format/metadata-object.js';
import type { CollectedMetadata } from '../format/backup-run.js';
import type { TsdClient } from '../opentsdb/client.js';
import { isRetryableTsdError, isUnknownMetric, TsdHttpError } from '../opentsdb/errors.js';
import { isDefaultMeta, listTsMeta, metaTableHasRows, type UidType } from '../opentsdb/meta-api.js';
import { annotationMs, type QueriedSeries, type TsdAnnotation } from '../opentsdb/query-response.js';
import type { ProgressReporter } from '../progress.js';
import { UidMetaReader } from './uid-meta-reader.js';

export interface UidWidths {
  metric: number;
  tagk: number;
  tagv: number;
}

/** The UID widths in bytes (tsd.storage.uid.width.*, 3 each unless configured), from /api/config. */
export function uidWidths(config: Record<string, string>): UidWidths {
  const width = (key: string): number => {
    const n = Number(config[`tsd.storage.uid.width.${key}`] ?? '3');
    return Number.isInteger(n) && n > 0 && n <= 8 ? n : 3;
  };
  return { metric: width('metric'), tagk: width('tagk'), tagv: width('tagv') };
}

function copyAnnotation(a: TsdAnnotation): Omit<SeriesAnnotation, 'metric' | 'tags'> {
  return { startTime: a.startTime, endTime: a.endTime, description: a.description, notes: a.notes, ...(a.custom ? { custom: a.custom } : {}) };
}

function noneCollected(): CollectedMetadata {
  return { annotations: [], uids: { metric: [], tagk: [], tagv: [] }, tsMeta: [] };
}

export class MetadataCollector {
  private readonly annotations = new Map<string, SeriesAnnotation>();
  private readonly uids: Record<UidType, Set<string>> = { metric: new Set(), tagk: new Set(), tagv: new Set() };
  /** By series key: a resumed run that reads a metric's TS metadata again keeps one of each. */
  private readonly tsMeta = new Map<string, TsMeta>();
  /** What was collected since the last drain(), for the run's journal. */
  private fresh = noneCollected();
  /** TSUIDs whose length does not fit the UID widths and the series' tag count (not decoded). */
  undecodable = 0;
  private tsMetaFailure: string | undefined;
  private metaTableProbe: Promise<boolean | undefined> | undefined;

  constructor(
    private readonly range: { start: number; end: number },
    private readonly widths: UidWidths,
    /** Reads each UID's metadata as soon as a series names it, while the points are read (uid-meta-reader.ts). */
    private readonly uidReader?: UidMetaReader,
  ) {}

  /** Records the annotations and UIDs of answered series (the same annotation read twice is kept once). */
  addSeries(metric: string, series: readonly QueriedSeries[]): void {
    for (const s of series) {
      for (const tsuid of s.tsuids ?? []) this.addTsuid(tsuid, Object.keys(s.tags).length);
      for (const a of s.annotations ?? []) {
        const ms = annotationMs(a.startTime);
        if (ms < this.range.start || ms > this.range.end) continue;
        this.addAnnotation({ metric, tags: sortTags(s.tags), ...copyAnnotation(a) });
      }
    }
  }

  private addAnnotation(a: SeriesAnnotation): void {
    const key = `${seriesKey(a.metric, a.tags)}\0${a.startTime}`;
    if (!this.annotations.has(key)) this.fresh.annotations.push(a);
    this.annotations.set(key, a);
  }

  private addUid(type: UidType, uid: string): void {
    if (this.uids[type].has(uid)) return;
    this.uids[type].add(uid);
    this.fresh.uids[type].push(uid);
    this.uidReader?.ask({ type, uid });
  }

  /** What was collected since the last call (for the run's journal), or nothing when nothing was. */
  drain(): { metadata?: CollectedMetadata } {
    const f = this.fresh;
    if (f.annotations.length + f.uids.metric.length + f.uids.tagk.length + f.uids.tagv.length + f.tsMeta.length === 0) return {};
    this.fresh = noneCollected();
    return { metadata: f };
  }

  /** Takes back what an interrupted run of the same backup had collected and recorded. */
  restore(c: CollectedMetadata): void {
    for (const a of c.annotations) this.addAnnotation(a);
    for (const type of ['metric', 'tagk', 'tagv'] as const) for (const uid of c.uids[type]) this.addUid(type, uid);
    for (const t of c.tsMeta) this.tsMeta.set(seriesKey(t.metric, t.tags), t);
    this.fresh = noneCollected();
  }

  private addTsuid(tsuid: string, tagCount: number): void {
    const { metric: mw, tagk: kw, tagv: vw } = this.widths;
    if (tsuid.length !== 2 * (mw + tagCount * (kw + vw)) || !/^[0-9A-Fa-f]+$/.test(tsuid)) {
      this.undecodable++;
      return;
    }
    const hex = tsuid.toUpperCase();
    this.addUid('metric', hex.slice(0, 2 * mw));
    for (let at = 2 * mw; at < hex.length; at += 2 * (kw + vw)) {
      this.addUid('tagk', hex.slice(at, at + 2 * kw));
      this.addUid('tagv', hex.slice(at + 2 * kw, at + 2 * (kw + vw)));
    }
  }

  /**
   * Reads the TS metadata of a metric's series that this backup holds (`held` by series key). A source
   * whose meta table cannot be read (a TSD without one) gives none, and the backup says so.
   */
  async addTsMeta(client: Pick<TsdClient, 'request' | 'toString'>, metric: string, held: (key: string) => boolean, signal?: AbortSignal): Promise<void> {
    // One probe for the whole backup: a meta table without a row holds no TS meta of any metric.
    // A probe that fails tells nothing: each metric is then asked as before, and fails as before.
    this.metaTableProbe ??= metaTableHasRows(client, { signal }).catch(() => undefined);
    if ((await this.metaTableProbe) === false) return;
    let list;
    try {
      list = await listTsMeta(client, metric, { signal });
    } catch (err) {
      if (!(err instanceof TsdHttpError) || isRetryableTsdError(err)) throw err;
      this.tsMetaFailure ??= `${metric}: ${err.message}`;
      return;
    }
    for (const m of list) {
      if (m.metric !== metric || !held(seriesKey(metric, m.tags))) continue;
      const extra = m.units !== '' || m.dataType !== '' || m.retention !== 0 || m.max !== 'NaN' || m.min !== 'NaN';
      if (isDefaultMeta(m) && !extra) continue;
      const meta = { ...m, tags: sortTags(m.tags) };
      this.tsMeta.set(seriesKey(meta.metric, meta.tags), meta);
      this.fresh.tsMeta.push(meta);
    }
  }

  /** Asked with the cheapest metric the source still knows (one may have been deleted since it was read). */
  private async globalAnnotations(
    client: Pick<TsdClient, 'globalAnnotations'>,
    metrics: ReadonlyArray<{ name: string; points: number }>,
    signal?: AbortSignal,
  ): Promise<TsdAnnotation[]> {
    for (const m of [...metrics].sort((a, b) => a.points - b.points)) {
      try {
        return (await client.globalAnnotations({ metric: m.name, ...this.range }, { signal })) ?? [];
      } catch (err) {
        if (!isUnknownMetric(err)) throw err;
      }
    }
    return [];
  }

  /** Global annotations, UID metadata, and everything collected: the content of the metadata object. */
  async finish(
    client: Pick<TsdClient, 'request' | 'globalAnnotations' | 'toString'>,
    metricsWithPoints: Array<{ name: string; points: number }>,
    deps: { signal?: AbortSignal; progress: ProgressReporter; uidMeta?: boolean },
  ): Promise<MetadataContent> {
    const { signal, progress } = deps;
    if (this.tsMetaFailure) progress({ type: 'warning', message: `no TS metadata backed up: ${client} could not list it (${this.tsMetaFailure})` });
    if (this.undecodable > 0)
      progress({
        type: 'warning',
        message: `${this.undecodable} TSUID(s) of ${client} do not fit its UID widths: the UID metadata of their names is not backed up`,
      });
    // The global annotations come with a query that answers a series: the metric with the fewest points
    // makes it the cheapest. Without any point in the range there is nothing to list them with.
    const globals = await this.globalAnnotations(client, metricsWithPoints, signal);
    const todo =
      deps.uidMeta === false ? [] : (['metric', 'tagk', 'tagv'] as const).flatMap((type) => [...this.uids[type]].sort().map((uid) => ({ type, uid })));
    if (todo.length > 0) progress({ type: 'phase', phase: 'metadata', detail: `UID metadata of ${todo.length} names` });
    const reader = this.uidReader ?? new UidMetaReader(client, signal);
    let found;
    try {
      found = await reader.all(todo);
    } finally {
      if (reader !== this.uidReader) await reader.close();
    }
    const uidMeta: UidMeta[] = [...found];
    uidMeta.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const annotations = [...this.annotations.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, a]) => a);
    const tsMeta = [...this.tsMeta.values()].sort((a, b) => seriesKey(a.metric, a.tags).localeCompare(seriesKey(b.metric, b.tags)));
    return { annotations, globalAnnotations: globals.map(copyAnnotation), uidMeta, tsMeta };
  }
}
