/**
 * Deletes the points of a metric in [start, end] (ms, inclusive) from a real TSD, to make data loss
 * real in a test: OpenTSDB's delete query, `POST /api/query` with `"delete": true`.
 *
 * OpenTSDB 2.4.1 deletes whole rows: every row (one series, one hour) the query's scan reads, from the
 * hour of `start` through the hour of `end` (SaltScanner.processRow sends a DeleteRequest per row it
 * reads, without waiting for it; TsdbQuery.getScanEndTimeSeconds ends the scan at the next hour). So,
 * to delete exactly the range, the points of those rows outside it are read first and written back
 * (the value tokens the TSD printed; a series mixing integers and floats is printed all as floats by
 * 2.4.1, so its integers come back as floats). Annotations in those rows are not written back.
 * `tags` narrows it to the series whose tags include them.
 *
 * Measured on 2.4.1: every query that reads a row of several cells also compacts it, in the background:
 * it writes the compacted cell, then deletes the cells it replaced, and both land up to ~3 s after the
 * query (two or three of asynchbase's 1 s flushes). Landing after the row delete, the compacted cell
 * brings deleted points back; landing after a point was written back, the cell deletes remove it. So
 * each phase waits until what it reads has held for SETTLE_MS, deletes again or writes again when it
 * did not, and when deleteRange returns nothing of its own is still in flight: a caller may write into
 * the range at once (e.g. restore it).
 *
 * It proves what it did: afterwards a query of the range returns no point of the series, and the rows
 * hold exactly the points outside the range; otherwise it throws. It takes about 10 s.
 *
 * Note: the TSD checks `tsd.http.query.allow_delete` only for the HTTP DELETE method (which reads the
 * query from the query string); the harness TSDs enable it so both forms work.
 */
import { parse } from 'lossless-json';
import type { SeedPoint } from './dataset.js';
import { putPoints } from './put-points.js';

const HOUR = 3_600_000;

export interface DeleteRangeResult {
  /** points that were in [start, end] and are gone */
  deleted: number;
  /** points of the same rows outside the range, written back */
  rewritten: number;
}

interface StoredPoint {
  tags: Record<string, string>;
  ts: number;
  /** the value token as the TSD printed it */
  value: string;
}

function queryBody(metric: string, start: number, end: number, tags: Record<string, string>, extra: object = {}): string {
  const filters = Object.entries(tags).map(([tagk, filter]) => ({ type: 'literal_or', tagk, filter, groupBy: true }));
  return JSON.stringify({ start, end, msResolution: true, noAnnotations: true, ...extra, queries: [{ aggregator: 'none', metric, filters }] });
}

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/api/query?arrays`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, text: await res.text() };
}

function pointsOf(text: string): StoredPoint[] {
  const doc = parse(text, null, (t) => t) as Array<{ tags: Record<string, string>; dps: Array<[string, string]> }>;
  return doc.flatMap((s) => s.dps.map(([ts, value]) => ({ tags: s.tags, ts: Number(ts), value })));
}

async function read(url: string, metric: string, start: number, end: number, tags: Record<string, string>): Promise<StoredPoint[]> {
  const { status, text } = await post(url, queryBody(metric, start, end, tags));
  if (status === 400 && text.includes('No such name')) return [];
  if (status !== 200) throw new Error(`deleteRange: query of ${metric} on ${url} answered ${status}: ${text.slice(0, 300)}`);
  return pointsOf(text);
}

const SETTLE_MS = 4_000;
const POLL_MS = 250;
const ATTEMPTS = 3;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `read` until `want` holds, then until it has held for SETTLE_MS: true; false when it stops
 * holding in that time (the TSD's late writes changed the rows) or never holds within `timeoutMs`.
 */
async function settles(read: () => Promise<StoredPoint[]>, want: (points: StoredPoint[]) => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let since: number | undefined;
  for (;;) {
    const ok = want(await read());
    if (ok && since === undefined) since = Date.now();
    if (!ok && since !== undefined) return false;
    if (ok && Date.now() - since! >= SETTLE_MS) return true;
    if (!ok && Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
}

const pointKey = (p: StoredPoint): string => `${JSON.stringify(Object.entries(p.tags).sort())}@${p.ts}=${p.value}`;

export async function deleteRange(
  url: string,
  metric: string,
  start: number,
  end: number,
  tags: Record<string, string> = {},
  opts: { timeoutMs?: number } = {},
): Promise<DeleteRangeResult> {
  // Shorter times are read as seconds, or taken for seconds by the scan (see src/opentsdb/query-time.ts).
  if (start < 1e10 || end < start) throw new RangeError(`deleteRange: needs 1e10 <= start <= end (ms), not ${start}..${end}`);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const rowStart = Math.floor(start / HOUR) * HOUR;
  const rowEnd = Math.floor(end / HOUR) * HOUR + HOUR - 1;
  const rows = (): Promise<StoredPoint[]> => read(url, metric, rowStart, rowEnd, tags);
  const before = await rows();
  if (before.length === 0) return { deleted: 0, rewritten: 0 };
  const keep = before.filter((p) => p.ts < start || p.ts > end);
  const wanted = new Set(keep.map(pointKey));

  for (let attempt = 1; ; attempt++) {
    const del = await post(url, queryBody(metric, start, end, tags, { delete: true }));
    if (del.status !== 200) throw new Error(`deleteRange: the delete query on ${url} answered ${del.status}: ${del.text.slice(0, 300)}`);
    if (await settles(rows, (p) => p.length === 0, timeoutMs)) break;
    if (attempt === ATTEMPTS) throw new Error(`deleteRange: the rows of ${metric} around ${start}..${end} did not stay deleted (${ATTEMPTS} delete queries)`);
  }
  for (let attempt = 1; ; attempt++) {
    const present = new Set((await rows()).map(pointKey));
    const missing = keep.filter((p) => !present.has(pointKey(p)));
    await putPoints(
      url,
      missing.map((p): SeedPoint => ({ metric, tags: p.tags, timestamp: p.ts, value: p.value })),
    );
    const exact = (points: StoredPoint[]): boolean => points.length === wanted.size && points.every((p) => wanted.has(pointKey(p)));
    if (await settles(rows, exact, timeoutMs)) break;
    if (attempt === ATTEMPTS) throw new Error(`deleteRange: the points of ${metric} around ${start}..${end} were not written back (${ATTEMPTS} attempts)`);
  }
  const inRange = await read(url, metric, start, end, tags);
  if (inRange.length > 0) throw new Error(`deleteRange: ${inRange.length} point(s) of ${metric} still in the range after the delete`);
  return { deleted: before.length - keep.length, rewritten: keep.length };
}
