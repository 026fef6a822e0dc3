// Restores what a backup holds besides points (manifest version 2): annotations, remapped to the target's
// TSUIDs by metric and tags; global annotations; UID metadata by name; TS metadata by series name. The
// newest backup of the chain wins for each item. The target's UIDs of names come from /api/uid/assign
// (which creates a name the target lacks, as writing its points would). OpenTSDB keys an annotation by
// TSUID and start time, and the start time is written in the unit the source stored it in, so restoring
// again replaces each annotation instead of adding a second one.

import type { MetricSelection } from '../fetch/metric-selection.js';
import type { GlobalAnnotation, SeriesAnnotation, TsMeta, UidMeta } from '../format/metadata-object.js';
import type { Manifest } from '../format/manifest.js';
import { seriesKey } from '../format/series.js';
import type { TsdClient } from '../opentsdb/client.js';
import { postAnnotation, postTsMeta, postUidMeta, type AnnotationWrite, type UidType } from '../opentsdb/meta-api.js';
import { annotationMs } from '../opentsdb/query-response.js';
import { runParallel } from '../parallel/run-parallel.js';
import { readMetadata } from '../repository/metadata-reader.js';
import type { Repository } from '../repository/repository.js';
import type { Interval } from '../repository/time-intervals.js';
import type { PointTransform } from './point-transform.js';
import type { UidPrecreator } from './uid-precreate.js';

/** Metadata writes in flight at once (small requests, each one HBase put on the target). */
const WRITE_CONCURRENCY = 8;

export interface MetadataTally {
  annotations: number;
  globalAnnotations: number;
  uidMeta: number;
  tsMeta: number;
}

/** The chain's metadata a restore writes, newest backup first for each item. */
export class ChainMetadata {
  readonly annotations = new Map<string, SeriesAnnotation>();
  readonly globals = new Map<number, GlobalAnnotation>();
  readonly uidMeta = new Map<string, UidMeta>();
  readonly tsMeta = new Map<string, TsMeta>();
  /** Tag names with UID metadata that a restored series uses (only those are written). */
  private readonly tagNamesUsed = new Set<string>();

  static async load(repo: Repository, chain: readonly Manifest[], selection: MetricSelection, range: Interval, signal?: AbortSignal): Promise<ChainMetadata> {
    const out = new ChainMetadata();
    const inRange = (t: number): boolean => annotationMs(t) >= range.start && annotationMs(t) <= range.end;
    for (const m of chain) {
      if (!m.metadata) continue;
      const doc = await readMetadata(repo, m.metadata, signal);
      for (const a of doc.annotations)
        if (selection.matches(a.metric) && inRange(a.startTime)) out.annotations.set(`${seriesKey(a.metric, a.tags)}\0${a.startTime}`, a);
      for (const g of doc.globalAnnotations) if (inRange(g.startTime)) out.globals.set(g.startTime, g);
      for (const u of doc.uidMeta) if (u.type !== 'metric' || selection.matches(u.name)) out.uidMeta.set(`${u.type}\0${u.name}`, u);
      for (const t of doc.tsMeta) if (selection.matches(t.metric)) out.tsMeta.set(seriesKey(t.metric, t.tags), t);
    }
    return out;
  }

  get empty(): boolean {
    return this.annotations.size + this.globals.size + this.uidMeta.size + this.tsMeta.size === 0;
  }

  /** Whether the tag names of restored series matter (there is UID metadata of tag keys or values). */
  get wantsSeriesTags(): boolean {
    return [...this.uidMeta.values()].some((u) => u.type !== 'metric');
  }

  /** Notes the tag names of series the restore writes (target names, after --tag-map). */
  noteSeriesTags(tags: Record<string, string>): void {
    if (this.uidMeta.size === 0) return;
    for (const [k, v] of Object.entries(tags)) {
      if (this.uidMeta.has(`tagk\0${k}`)) this.tagNamesUsed.add(`tagk\0${k}`);
      if (this.uidMeta.has(`tagv\0${v}`)) this.tagNamesUsed.add(`tagv\0${v}`);
    }
  }

  /** The UID metadata to write: of the restored metrics, and of the tag names restored series use. */
  private uidMetaToWrite(transform: PointTransform): UidMeta[] {
    return [...this.uidMeta.entries()]
      .filter(([key, u]) => u.type === 'metric' || this.tagNamesUsed.has(key))
      .map(([, u]) => (u.type === 'metric' ? { ...u, name: transform.metric(u.name) } : u));
  }

  /** What a restore writes (a dry run counts it). */
  tally(transform: PointTransform): MetadataTally {
    return {
      annotations: this.annotations.size,
      globalAnnotations: this.globals.size,
      uidMeta: this.uidMetaToWrite(transform).length,
      tsMeta: this.tsMeta.size,
    };
  }

  async write(
    client: Pick<TsdClient, 'request' | 'assignUids' | 'toString'>,
    uids: UidPrecreator,
    transform: PointTransform,
    signal?: AbortSignal,
  ): Promise<MetadataTally> {
    const uidMeta = this.uidMetaToWrite(transform);
    const annotations = [...this.annotations.values()].map((a) => ({ ...a, metric: transform.metric(a.metric), tags: transform.tags(a.tags) }));
    const tsMeta = [...this.tsMeta.values()].map((t) => ({ ...t, metric: transform.metric(t.metric), tags: transform.tags(t.tags) }));
    const names: Record<UidType, Set<string>> = { metric: new Set(), tagk: new Set(), tagv: new Set() };
    for (const u of uidMeta) names[u.type].add(u.name);
    for (const s of [...annotations, ...tsMeta]) {
      names.metric.add(s.metric);
      for (const [k, v] of Object.entries(s.tags)) {
        names.tagk.add(k);
        names.tagv.add(v);
      }
    }
    for (const type of ['metric', 'tagk', 'tagv'] as const) await uids.ensure(type, names[type], signal);
    const uidOf = (type: UidType, name: string): string => uids.uidOf(type, name);
    const tsuid = (metric: string, tags: Record<string, string>): string =>
      uidOf('metric', metric) +
      Object.entries(tags)
        .map(([k, v]) => uidOf('tagk', k) + uidOf('tagv', v))
        // UIDs of one type have one width, so their hex sorts as their bytes do (the TSUID's tag order).
        .sort()
        .join('');
    const writes: Array<() => Promise<void>> = [
      ...uidMeta.map((u) => () => postUidMeta(client, uidOf(u.type, u.name), u, { signal })),
      ...tsMeta.map((t) => () => postTsMeta(client, t, { signal })),
      ...annotations.map((a) => () => postAnnotation(client, { ...annotationFields(a, transform.shiftMs), tsuid: tsuid(a.metric, a.tags) }, { signal })),
      ...[...this.globals.values()].map((g) => () => postAnnotation(client, annotationFields(g, transform.shiftMs), { signal })),
    ];
    await runParallel(writes, { concurrency: WRITE_CONCURRENCY, signal }, (w) => w());
    return { annotations: annotations.length, globalAnnotations: this.globals.size, uidMeta: uidMeta.length, tsMeta: tsMeta.length };
  }
}

/** Shifts an annotation time by --shift, keeping seconds when the shift is whole seconds (0 stays 0: no end). */
export function shiftAnnotationTime(t: number, shiftMs: number): number {
  if (t === 0 || shiftMs === 0) return t;
  const ms = annotationMs(t);
  if (ms === t || shiftMs % 1000 !== 0) return ms + shiftMs;
  return t + shiftMs / 1000;
}

function annotationFields(a: GlobalAnnotation, shiftMs: number): AnnotationWrite {
  return {
    startTime: shiftAnnotationTime(a.startTime, shiftMs),
    endTime: shiftAnnotationTime(a.endTime, shiftMs),
    description: a.description,
    notes: a.notes,
    ...(a.custom ? { custom: a.custom } : {}),
  };
}
