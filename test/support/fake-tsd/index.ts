/**
 * An in-process fake of an OpenTSDB 2.4.1 TSD's HTTP API for fast tests.
 *
 * Behaviour is taken from the 2.4.1 sources (net.opentsdb:opentsdb:2.4.1 sources jar) and the
 * Netty 3.10.6 / Jackson 2.9.5 / async 1.4.0 it ships with; each module documents the rules it
 * reproduces. Start with {@link startFakeTsd}; see fake-tsd.test.ts for examples.
 */
import { TsdCore } from './core.js';
import { resolveOptions, type FakeTsdOptions } from './options.js';
import { FakeTsdServer } from './server.js';

export type { FakeTsdOptions, FaultInjector, FaultRequest, FaultResponse } from './options.js';
export { javaDoubleToString, javaDoubleToStringShortest, javaFloatToString } from './java-double.js';
export { parsePutValue, looksLikeInteger, fitsInFloat, javaParseDouble, tagsParseLong, type StoredKind } from './java-number.js';
export { toLatin1Bytes } from './uid.js';

export interface DumpedPoint {
  /** ms timestamp */
  ts: number;
  kind: 'int' | 'float' | 'double';
  /** the number as a real TSD prints it in /api/query (long, or Java Double.toString of the stored value) */
  text: string;
}

export interface DumpedSeries {
  metric: string;
  tags: Record<string, string>;
  tsuid: string;
  points: DumpedPoint[];
}

export interface FakeTsd {
  url: string;
  port: number;
  close(): Promise<void>;
  stats: {
    queries: number;
    puts: number;
    pointsWritten: number;
    requests: Array<{ method: string; path: string; bytes: number; acceptEncoding?: string }>;
  };
  /**
   * Every stored point of every series (newest cell per timestamp; series with differing
   * duplicates report their newest value), sorted by metric, then TSUID, then time.
   * Names are the cached (as written) ones, see {@link FakeTsd.restart}.
   */
  dump(): DumpedSeries[];
  /**
   * Emulates a TSD restart (or a second TSD on the same tables): the UID caches are dropped, so
   * names that are not ISO-8859-1 are read back as stored ("東京" -> "??").
   */
  restart(): void;
  /** Emulates the background compaction thread: every row is compacted (see store.ts). */
  compactNow(): void;
  /** UIDs assigned so far, per kind (stored latin-1 names). */
  uids(): Record<'metrics' | 'tagk' | 'tagv', Array<{ name: string; uid: number }>>;
}

export async function startFakeTsd(options?: FakeTsdOptions): Promise<FakeTsd> {
  const opts = resolveOptions(options);
  const core = new TsdCore(opts);
  const server = new FakeTsdServer(core, opts);
  await server.listen();
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    port: server.port,
    stats: core.stats,
    close: () => server.close(),
    restart: () => {
      for (const t of Object.values(core.uids)) t.dropCaches();
    },
    compactNow: () => core.store.compactAll(),
    uids: () => ({
      metrics: core.uids.metrics.storedNames(),
      tagk: core.uids.tagk.storedNames(),
      tagv: core.uids.tagv.storedNames(),
    }),
    dump: () => {
      const out: DumpedSeries[] = [];
      for (const s of core.store.series.values()) {
        const points: DumpedPoint[] = [];
        for (const row of s.rows.values()) {
          for (const [ms, cells] of row) {
            const newest = [...cells].sort((a, b) => b.seq - a.seq)[0]!;
            points.push({
              ts: ms,
              kind: newest.value.kind,
              text: newest.value.kind === 'int' ? newest.value.int!.toString() : core.formatDouble(newest.value.num!),
            });
          }
        }
        points.sort((a, b) => a.ts - b.ts);
        out.push({ metric: core.uids.metrics.getName(s.metricUid), tags: Object.fromEntries(core.seriesTags(s)), tsuid: s.tsuid, points });
      }
      out.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.tsuid < b.tsuid ? -1 : a.tsuid > b.tsuid ? 1 : 0));
      return out;
    },
  };
}
