// compare: a backup (with its chain, as a restore would write it) against the live cluster. Per metric,
// over the times the chain covers, the TSD counts and sums the points per time window (two cheap
// downsampled queries); the same figures are computed from the backup. Only windows whose figures
// differ are read point by point and compared exactly, so a point that arrived after its window was
// backed up (older than any incremental overlap) or a rewritten value is found without reading
// everything back. A changed value that leaves a window's sum and count equal (two changes that cancel
// out) is not seen: that is the price of not reading every point.
//
// The metrics compared are the chain's and those the TSD lists (suggest, as a backup discovers them) that
// the chain does not name: a metric created after the backup whose points lie in the times the chain
// covers for it (the times a restore would write it: the ranges of the chain's backups whose selection
// takes it, chain-coverage.ts) is data the backup does not hold. Points after the backup's end, a metric
// with a UID and no points there, and a metric no backup of the chain selects are no differences.
// The backup's points are loaded one metric and time slice at a time (chain-points.ts), and again per
// window read point by point, so memory is bounded by a slice, not by the backup or its largest metric.

import { readBounded } from '../fetch/bounded-read.js';
import { discoverMetrics } from '../fetch/discover-metrics.js';
import { selectMetrics } from '../fetch/metric-selection.js';
import type { TsdClient } from '../opentsdb/client.js';
import { SECONDS_BY_VALUE_MS } from '../opentsdb/query-time.js';
import { ChainCoverage } from '../repository/chain-coverage.js';
import type { Repository } from '../repository/repository.js';
import { clipIntervals, type Interval } from '../repository/time-intervals.js';
import { throwIfAborted } from '../errors.js';
import { silentProgress, type ProgressReporter } from '../progress.js';
import { chooseBackupChain, type BackupChoice } from './backup-chain.js';
import { settleClusterKinds } from './cluster-kinds.js';
import { loadSlicePoints, planChainPoints, SLICE_POINTS, timeSlices, type ChunkCache } from './chain-points.js';
import { diffPointSets, type PointValueJson, type PointSetDiff } from './point-diff.js';
import { addSeries, pointCount, type PointSet } from './point-set.js';
import { DEFAULT_EXAMPLES } from './diff.js';

const HOUR = 3_600_000;
/** Windows per covered interval at most: the count answers stay small. */
const MAX_WINDOWS = 1000;

export interface CompareOptions extends BackupChoice {
  metrics?: string[];
  start?: number;
  end?: number;
  examples?: number;
  /** Backup points loaded at once, about (default SLICE_POINTS). */
  slicePoints?: number;
}

export interface CompareWindow {
  metric: string;
  start: number;
  end: number;
  backupPoints: number;
  clusterPoints: number;
}

export interface MetricComparison {
  metric: string;
  /** False for a metric the TSD lists and the backup's chain does not name (listed only when it has points the backup should hold). */
  inBackup: boolean;
  /** The covered times compared. */
  intervals: Interval[];
  windows: number;
  /** Windows whose counts or sums differed, read point by point. */
  windowsRead: number;
  backupPoints: number;
  missingFromBackup: number;
  missingFromCluster: number;
  changed: number;
}

export interface CompareDifference {
  difference: 'missingFromBackup' | 'missingFromCluster' | 'changed';
  metric: string;
  tags: Record<string, string>;
  timestamp: number;
  backup?: PointValueJson;
  cluster?: PointValueJson;
}

export interface CompareResult {
  backupId: string;
  chain: string[];
  cluster: string;
  equal: boolean;
  metrics: MetricComparison[];
  /** The windows read point by point, with the counts of both sides. */
  windows: CompareWindow[];
  examples: CompareDifference[];
  /** Metrics not in the chain whose points in the covered times are missing from the backup. */
  metricsMissingFromBackup: string[];
  /** Present when covered times before it (1970-02-19) were not compared: OpenTSDB cannot count there (OPENTSDB.md). */
  notComparedBefore?: number;
}

/** Window size for an interval: whole hours, at most MAX_WINDOWS of them. */
export function windowSize(iv: Interval): number {
  return Math.max(HOUR, Math.ceil((iv.end - iv.start + 1) / MAX_WINDOWS / HOUR) * HOUR);
}

/** Sums of floats may differ in their last bits with the order of addition. */
function sameSum(a: number, b: number): boolean {
  if (Object.is(a, b) || a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

type Buckets = Map<number, { count: number; sum: number }>;

/** Adds the count and sum per window of `size` of the points of `points` inside `iv` to `out`. */
function addBuckets(out: Buckets, points: PointSet, iv: Interval, size: number): void {
  for (const s of points.values()) {
    for (const [t, p] of s.points) {
      if (t < iv.start || t > iv.end) continue;
      const b = Math.floor(t / size) * size;
      const x = out.get(b) ?? { count: 0, sum: 0 };
      x.count++;
      x.sum += Number(p.value);
      out.set(b, x);
    }
  }
}

export async function compareWithCluster(
  opts: CompareOptions,
  deps: { repository: Repository; client: TsdClient; signal?: AbortSignal; progress?: ProgressReporter },
): Promise<CompareResult> {
  const { repository: repo, client, signal } = deps;
  const progress = deps.progress ?? silentProgress;
  const { target, chain } = await chooseBackupChain(repo, opts, signal);
  const selection = selectMetrics(opts.metrics ?? []);
  const bounds = { start: Math.max(opts.start ?? Number.MIN_SAFE_INTEGER, SECONDS_BY_VALUE_MS), end: opts.end ?? Number.MAX_SAFE_INTEGER };
  const plan = planChainPoints(chain, { metrics: opts.metrics, range: bounds });
  const coverage = new ChainCoverage(chain);
  const coveredTimes = (metric: string): Interval[] => chain.flatMap((_, i) => coverage.ownedBy(i, metric)).sort((a, b) => a.start - b.start);
  const known = new Set(chain.flatMap((m) => m.metrics.map((x) => x.name)).filter((n) => selection.matches(n)));
  // The chunks are known now, the metrics once the cluster's are listed (which takes a while on a large cluster).
  progress({ type: 'plan', metrics: known.size, chunks: plan.chunks, points: plan.points });
  progress({ type: 'phase', phase: 'listing metrics', detail: `of ${client}` });
  const listed = await discoverMetrics(client, selection, { signal });
  const unknown = listed.filter((n) => !known.has(n) && clipIntervals(coveredTimes(n), bounds).length > 0);
  const names = [...known, ...unknown].sort();
  progress({ type: 'plan', metrics: names.length, chunks: plan.chunks, points: plan.points });
  const diff: PointSetDiff = { metrics: [], examples: [] };
  const metrics: MetricComparison[] = [];
  const windows: CompareWindow[] = [];
  let notComparedBefore: number | undefined;
  for (const metric of names) {
    const owned = coveredTimes(metric);
    if (owned.some((iv) => iv.start < SECONDS_BY_VALUE_MS) && (opts.start ?? Number.MIN_SAFE_INTEGER) < SECONDS_BY_VALUE_MS)
      notComparedBefore = SECONDS_BY_VALUE_MS;
    const intervals = clipIntervals(owned, bounds);
    const chunks = plan.byMetric.get(metric) ?? [];
    const inBackup = known.has(metric);
    const result: MetricComparison = {
      metric,
      inBackup,
      intervals,
      windows: 0,
      windowsRead: 0,
      backupPoints: 0,
      missingFromBackup: 0,
      missingFromCluster: 0,
      changed: 0,
    };
    // The backup's figures per window of each interval, summed slice by slice.
    const ours = intervals.map((): Buckets => new Map());
    const walked: ChunkCache = new Map();
    for (const slice of timeSlices(chunks, opts.slicePoints ?? SLICE_POINTS)) {
      const part = await loadSlicePoints(repo, metric, chunks, slice, { signal, progress, cache: walked });
      result.backupPoints += pointCount(part);
      intervals.forEach((iv, i) => addBuckets(ours[i]!, part, iv, windowSize(iv)));
    }
    const reread: ChunkCache = new Map();
    const windowsRead: CompareWindow[] = [];
    for (const [i, iv] of intervals.entries()) {
      const size = windowSize(iv);
      const alignedStart = Math.floor(iv.start / size) * size;
      throwIfAborted(signal);
      // The TSD refuses end == start; a millisecond more only risks a spurious suspect, read exactly below.
      const theirs = await client.bucketStats({ metric, start: alignedStart, end: Math.max(iv.end, alignedStart + 1) }, size, { signal });
      result.windows += Math.floor(iv.end / size) - Math.floor(iv.start / size) + 1;
      const suspects = new Set([...ours[i]!.keys(), ...theirs.keys()].filter((b) => b <= iv.end));
      for (const b of [...suspects].sort((x, y) => x - y)) {
        const o = ours[i]!.get(b) ?? { count: 0, sum: 0 };
        const t = theirs.get(b) ?? { count: 0, sum: 0 };
        // Without the TSD's sum (it overflowed the double range) equal counts are not enough: read the window.
        if (o.count === t.count && t.sum !== undefined && sameSum(o.sum, t.sum)) continue;
        // The TSD's first and last buckets may count points outside the interval: read to be sure.
        const w = { start: Math.max(b, iv.start), end: Math.min(b + size - 1, iv.end) };
        throwIfAborted(signal);
        progress({ type: 'window', metric, start: w.start, end: w.end });
        // Read as the backup reads: a window of a wide metric is counted and split by series, as past that
        // count OpenTSDB 2.4.1 hangs instead of answering (fetch/bounded-read.ts).
        const series = await readBounded(client, { metric, start: w.start, end: w.end, filters: [] }, { signal, progress });
        const backupWindow = await loadSlicePoints(repo, metric, chunks, w, { signal, cache: reread });
        settleClusterKinds(metric, series, backupWindow);
        const cluster: PointSet = new Map();
        addSeries(cluster, metric, series);
        result.windowsRead++;
        windowsRead.push({ metric, start: w.start, end: w.end, backupPoints: pointCount(backupWindow), clusterPoints: pointCount(cluster) });
        diffPointSets(backupWindow, cluster, opts.examples ?? DEFAULT_EXAMPLES, diff);
      }
    }
    const d = diff.metrics.find((x) => x.metric === metric);
    if (d) Object.assign(result, { missingFromBackup: d.pointsOnlyRight, missingFromCluster: d.pointsOnlyLeft, changed: d.pointsChanged });
    if (inBackup || result.missingFromBackup > 0) {
      metrics.push(result);
      windows.push(...windowsRead);
    }
    progress({ type: 'metric-done', metric, points: result.backupPoints });
  }
  return {
    backupId: target.id,
    chain: chain.map((m) => m.id),
    cluster: client.toString(),
    equal: metrics.every((m) => m.missingFromBackup + m.missingFromCluster + m.changed === 0),
    metrics,
    windows,
    examples: diff.examples.map((e) => ({
      difference: e.side === 'onlyLeft' ? 'missingFromCluster' : e.side === 'onlyRight' ? 'missingFromBackup' : 'changed',
      metric: e.metric,
      tags: e.tags,
      timestamp: e.timestamp,
      ...(e.left ? { backup: e.left } : {}),
      ...(e.right ? { cluster: e.right } : {}),
    })),
    metricsMissingFromBackup: metrics.filter((m) => !m.inBackup).map((m) => m.metric),
    ...(notComparedBefore !== undefined ? { notComparedBefore } : {}),
  };
}
